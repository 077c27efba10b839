package io.sparkfit.executor;

import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds ND4J to a Spark task's share of the cores. ND4J's default, one OpenMP thread per core in
 * every task, oversubscribes an executor that runs several tasks: measured here, epochs ran 2-5x
 * slower and very unevenly. Executors launched with {@code OMP_NUM_THREADS} already start right
 * ({@code SparkSessions} sets it); this also covers local mode, where the tasks share the driver's
 * JVM, and an explicit {@code training.threads-per-task}.
 */
final class Nd4jThreads {
  private static final Logger LOG = LoggerFactory.getLogger(Nd4jThreads.class);
  /** OpenMP's thread count is a per-thread setting: applied once in each task thread. */
  private static final ThreadLocal<Integer> APPLIED = new ThreadLocal<>();
  private static volatile int globalApplied;

  private Nd4jThreads() {}

  /**
   * Applies the thread count for the current Spark task.
   *
   * @param configured {@code training.threads-per-task}; 0 means the task's {@code spark.task.cpus}
   * @return the thread count applied
   */
  public static int forCurrentTask(int configured) {
    TaskContext task = TaskContext.get();
    int threads = configured > 0 ? configured : task != null ? Math.max(1, task.cpus()) : 1;
    Integer done = APPLIED.get();
    if (done != null && done == threads) {
      return threads;
    }
    // Loads the backend first: NativeOpsHolder's static initialiser fails if it comes first.
    Environment environment = Nd4j.getEnvironment();
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    if (globalApplied != threads) {
      synchronized (Nd4jThreads.class) {
        // Process-wide limits: BLAS and ND4J's own pools. Every task in a JVM asks for the same count.
        environment.setMaxThreads(threads);
        environment.setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        globalApplied = threads;
      }
      LOG.info("ND4J limited to {} thread(s) per task", threads);
    }
    APPLIED.set(threads);
    return threads;
  }
}
