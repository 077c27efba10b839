package io.sparkfit.train;

import io.sparkfit.config.TrainingConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/** Creates the trainer a config asks for. */
public final class Trainers {
  private Trainers() {}

  /**
   * A trainer for {@code network} over {@code minibatches}, which it fits once per epoch.
   *
   * @param seed drives each epoch's randomness (dropout) in Sparkfit's engine, and how DL4J's splits the data
   */
  public static Trainer create(
      JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<DataSet> minibatches, TrainingConfig config, long seed) {
    return switch (config.engine()) {
      case AVERAGING -> new AveragingTrainer(sc, network, minibatches, config, seed);
      case DL4J -> new Dl4jParameterAveragingTrainer(sc, network, minibatches, config, seed);
    };
  }
}
