package io.sparkfit.train;

import io.sparkfit.executor.TaskThreads;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Prepares the task thread before a worker of DL4J's engine fits a minibatch: ND4J's thread count
 * and the task's device ({@link TaskThreads}).
 */
final class ThreadLimitHook implements TrainingHook {
  private static final long serialVersionUID = 1L;
  private final int configured;

  ThreadLimitHook(int configured) {
    this.configured = configured;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    prepareTask();
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {}

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    prepareTask();
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {}

  private void prepareTask() {
    TaskThreads.prepare(configured);
  }
}
