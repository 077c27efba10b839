package io.sparkfit.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * What this build of Sparkfit is: which build ({@code spark4.2_2.13}, or the spark-3.5 profile's
 * {@code spark3.5_2.12}), the versions it was built against, and the git commit, when known.
 *
 * @param dl4jSparkVersion DL4J's Spark module, in the build that has it (spark-3.5)
 */
public record BuildInfo(
    String sparkfitVersion,
    String build,
    String sparkVersion,
    String dl4jVersion,
    Optional<String> dl4jSparkVersion,
    Optional<String> gitCommit) {

  private static final String RESOURCE = "io/sparkfit/build.properties";

  public static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String commit = p.getProperty("git.commit", "");
    Optional<String> gitCommit =
        known(commit).map(c -> "true".equals(p.getProperty("git.dirty")) ? c + "-dirty" : c);
    return new BuildInfo(
        p.getProperty("sparkfit.version", "unknown"),
        p.getProperty("sparkfit.build", "unknown"),
        p.getProperty("spark.version", "unknown"),
        p.getProperty("dl4j.version", "unknown"),
        known(p.getProperty("dl4j-spark.version", "")),
        gitCommit);
  }

  /** A filtered value, or empty where the build left it blank or unfiltered. */
  private static Optional<String> known(String value) {
    return value.isBlank() || value.startsWith("${") ? Optional.empty() : Optional.of(value);
  }
}
