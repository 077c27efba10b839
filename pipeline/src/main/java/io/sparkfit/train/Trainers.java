package io.sparkfit.train;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.nd4j.PackedMinibatch;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.SparkContext;
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
    return create(sc, network, minibatches, Optional.empty(), config, seed);
  }

  /**
   * As {@link #create(JavaSparkContext, Network, JavaRDD, TrainingConfig, long)}, with validation
   * minibatches for an engine that scores them inside its training stage ({@link #validatesInStage}).
   */
  public static Trainer create(
      JavaSparkContext sc,
      Network network,
      JavaRDD<MultiDataSet> minibatches,
      Optional<JavaRDD<PackedMinibatch>> validation,
      TrainingConfig config,
      long seed) {
    return switch (config.engine()) {
      case AVERAGING -> new AveragingTrainer(sc, network, minibatches, validation, config, seed);
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

  /** Whether {@code config}'s engine scores validation inside its training stage: Sparkfit's does, DL4J's does not. */
  public static boolean validatesInStage(TrainingConfig config) {
    return config.engine() == TrainingConfig.Engine.AVERAGING;
  }

  /**
   * How many workers train: {@code training.workers}, or for Sparkfit's engine as many as can run at
   * once (a barrier stage needs a free slot for every task), for DL4J's Spark's default parallelism.
   * For Sparkfit's, the default parallelism is no guide (on a cluster it is at least 2 even with one
   * core), so this asks the scheduler for its slots, a Spark-internal call that is public in bytecode.
   */
  public static int workers(JavaSparkContext sc, TrainingConfig config) {
    if (config.workers() > 0) {
      return config.workers();
    }
    if (config.engine() == TrainingConfig.Engine.DL4J) {
      return sc.defaultParallelism();
    }
    SparkContext context = sc.sc();
    int slots = context.maxNumConcurrentTasks(context.resourceProfileManager().defaultResourceProfile());
    if (slots > 0) {
      return slots;
    }
    int taskCpus = Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
    return Math.max(1, sc.defaultParallelism() / taskCpus);
  }
}
