package io.sparkfit.executor;

import java.util.concurrent.ConcurrentHashMap;
import io.sparkfit.model.Network;

/**
 * Networks kept alive in an executor JVM between Spark jobs, so a task that needs one costs a
 * parameter copy instead of a network rebuilt from its JSON configuration. Used by the training
 * workers between averaging rounds and by the validation pass between epochs.
 *
 * <p>A network is not safe to share between task threads: keys must name one partition (or worker).
 * The cache is bounded; when it is full it starts over, which costs rebuilds, never correctness,
 * since every user sets the parameters it needs before use.
 */
public final class ExecutorNetworks {
  private static final int MAX_NETWORKS = 64;
  private static final ConcurrentHashMap<String, Cached> NETWORKS = new ConcurrentHashMap<>();

  /** A network and the configuration it was built from. */
  private record Cached(String configurationJson, Network network) {}

  private ExecutorNetworks() {}

  /**
   * The network kept under {@code key}, initialised from {@code configurationJson} when absent, or
   * when the one kept was built from another configuration: keys made of broadcast ids repeat when a
   * JVM outlives its SparkContext (tests, notebooks), and a stale network must never be reused.
   */
  public static Network get(String key, String configurationJson) {
    Cached cached = NETWORKS.get(key);
    if (cached != null && cached.configurationJson().equals(configurationJson)) {
      return cached.network();
    }
    if (NETWORKS.size() >= MAX_NETWORKS) {
      NETWORKS.clear();
    }
    Network created = Network.fromJson(configurationJson);
    NETWORKS.put(key, new Cached(configurationJson, created));
    return created;
  }

  /** Drops the networks whose keys start with {@code prefix}, e.g. a finished run's. */
  public static void release(String prefix) {
    NETWORKS.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
