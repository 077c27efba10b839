package io.sparkfit.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A validated config together with its resolved form as JSON (defaults and overrides applied,
 * secrets masked), which is what provenance records, and the fingerprint that decides whether a
 * checkpoint may resume it.
 *
 * @param resumeFingerprint SHA-256 of the settings that change the model: everything but
 *     {@link #NOT_IN_FINGERPRINT}
 */
public record LoadedConfig(SparkfitConfig config, String resolvedJson, String resumeFingerprint) {

  /**
   * Settings that change where and how fast a run goes, not what it computes: an operator may change
   * them between a run that died and its resume (Airflow's usual retry after an executor ran out of
   * memory raises {@code spark.executor.memory}).
   */
  public static final List<String> NOT_IN_FINGERPRINT =
      List.of(
          "spark",
          "output",
          "training.threads-per-task",
          "training.exchange-port",
          "training.device",
          "training.stall-timeout-seconds",
          "training.stop-grace-seconds");

  /** The loaded form of a resolved config. */
  static LoadedConfig of(SparkfitConfig config, Config resolved) {
    Config masked = SecretMasking.mask(resolved);
    Config modelSettings = masked;
    for (String path : NOT_IN_FINGERPRINT) {
      modelSettings = modelSettings.withoutPath(path);
    }
    String rendered = modelSettings.root().render(ConfigRenderOptions.concise());
    return new LoadedConfig(config, masked.root().render(ConfigRenderOptions.concise()), sha256(rendered));
  }

  /**
   * What checkpoints written before the fingerprint left out resources carry: the SHA-256 of the
   * whole resolved config. Accepted on resume, so a run that died before an upgrade can go on.
   */
  public String previousFingerprint() {
    return sha256(resolvedJson);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no SHA-256", e);
    }
  }
}
