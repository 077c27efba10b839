package io.sparkfit.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Applies {@link Nd4jThreads} in the task thread before a worker fits its first minibatch. */
final class ThreadLimitHook implements TrainingHook {
  private static final long serialVersionUID = 1L;
  private final int configured;

  ThreadLimitHook(int configured) {
    this.configured = configured;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    Nd4jThreads.forCurrentTask(configured);
    Devices.bindCurrentTask();
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {}

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    Nd4jThreads.forCurrentTask(configured);
    Devices.bindCurrentTask();
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {}
}
