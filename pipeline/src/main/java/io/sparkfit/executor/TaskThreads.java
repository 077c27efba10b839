package io.sparkfit.executor;

/**
 * What every Sparkfit task does before it touches a network: hold ND4J to the task's share of the
 * cores ({@link Nd4jThreads}) and bind the thread to the task's device ({@link Devices}). Training
 * workers, the validation pass and scoring all start this way.
 */
public final class TaskThreads {
  private TaskThreads() {}

  /**
   * Prepares the current task thread; cheap when it was already prepared.
   *
   * @param threadsPerTask {@code training.threads-per-task}; 0 means the task's {@code spark.task.cpus}
   */
  public static void prepare(int threadsPerTask) {
    Nd4jThreads.forCurrentTask(threadsPerTask);
    Devices.bindCurrentTask();
  }
}
