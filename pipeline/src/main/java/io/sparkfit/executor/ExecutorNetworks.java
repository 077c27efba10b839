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

  /** A network, the configuration it was built from, and which published state it holds. */
  private record Cached(String configurationJson, Kept kept) {}

  /**
   * A kept network and the version of the published state (parameters and updater state) it holds
   * as it is: a worker whose network still holds the state an epoch starts from need not receive it.
   */
  public static final class Kept {
    /** The version of no published state: a new network, or one changed since. */
    public static final long NONE = 0;
    private final Network network;
    private volatile long stateVersion = NONE;

    private Kept(Network network) {
      this.network = network;
    }

    public Network network() {
      return network;
    }

    public long stateVersion() {
      return stateVersion;
    }

    /** Records which published state the network now holds ({@link #NONE} before changing it). */
    public void holds(long version) {
      stateVersion = version;
    }
  }

  private ExecutorNetworks() {}

  /**
   * The network kept under {@code key}, initialised from {@code configurationJson} when absent, or
   * when the one kept was built from another configuration: keys made of broadcast ids repeat when a
   * JVM outlives its SparkContext (tests, notebooks), and a stale network must never be reused.
   */
  public static Network get(String key, String configurationJson) {
    return kept(key, configurationJson).network();
  }

  /** As {@link #get}, with the version of the state the network holds. */
  public static Kept kept(String key, String configurationJson) {
    Cached cached = NETWORKS.get(key);
    if (cached != null && cached.configurationJson().equals(configurationJson)) {
      return cached.kept();
    }
    if (NETWORKS.size() >= MAX_NETWORKS) {
      NETWORKS.clear();
    }
    Kept created = new Kept(Network.fromJson(configurationJson));
    NETWORKS.put(key, new Cached(configurationJson, created));
    return created;
  }

  /** Drops the networks whose keys start with {@code prefix}, e.g. a finished run's. */
  public static void release(String prefix) {
    NETWORKS.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
