package io.sparkfit.train;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.TrainingConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import io.sparkfit.model.Network;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Creates the trainer a config asks for. */
public final class Trainers {
  private Trainers() {}

  /**
   * A trainer for {@code network} over {@code minibatches}, which it fits once per epoch.
   *
   * @param seed drives each epoch's randomness (dropout) in Sparkfit's engine, and how DL4J's splits the data
   */
  public static Trainer create(
      JavaSparkContext sc, Network network, JavaRDD<MultiDataSet> minibatches, TrainingConfig config, long seed) {
    return switch (config.engine()) {
      case AVERAGING -> new AveragingTrainer(sc, network, minibatches, config, seed);
      case DL4J -> new Dl4jParameterAveragingTrainer(
          sc,
          network
              .asMultiLayer()
              .orElseThrow(
                  () -> InvalidInputException.of(
                      "Invalid training.engine: dl4j (DL4J's Spark engine trains MultiLayerNetworks only, and this network "
                          + "is a ComputationGraph, from model.embeddings or model.dl4j-configuration; use training.engine = averaging)")),
          minibatches,
          config,
          seed);
    };
  }
}
