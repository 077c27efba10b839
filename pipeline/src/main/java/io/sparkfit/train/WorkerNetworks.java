package io.sparkfit.train;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The networks workers keep alive between averaging rounds, per executor JVM, so a round costs a
 * parameter copy instead of a network rebuilt from its configuration. Holds the networks of one
 * training run at a time: a task of another run clears the others.
 */
final class WorkerNetworks {
  private static final ConcurrentHashMap<Integer, MultiLayerNetwork> NETWORKS = new ConcurrentHashMap<>();
  private static volatile String currentRun = "";

  private WorkerNetworks() {}

  static MultiLayerNetwork get(String run, int worker, Supplier<MultiLayerNetwork> create) {
    if (!run.equals(currentRun)) {
      synchronized (WorkerNetworks.class) {
        if (!run.equals(currentRun)) {
          NETWORKS.clear();
          currentRun = run;
        }
      }
    }
    return NETWORKS.computeIfAbsent(worker, w -> create.get());
  }

  /** Drops the networks of {@code run}, if they are the ones held. */
  static void release(String run) {
    synchronized (WorkerNetworks.class) {
      if (run.equals(currentRun)) {
        NETWORKS.clear();
        currentRun = "";
      }
    }
  }
}
