package io.sparkfit.train;

import io.sparkfit.config.TrainingConfig;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * DL4J's Spark engine ({@code training.engine = dl4j}), which only the spark-3.5 build has: DL4J's
 * Spark module exists for Scala 2.12 only. The implementation lives in that build's own sources
 * ({@code src/main-spark-3.5}) and is found through {@link ServiceLoader}, so the default build
 * compiles without the module; its config loader refuses the engine before Spark starts.
 */
public interface Dl4jEngine {

  /** A trainer that fits {@code minibatches} with DL4J's {@code ParameterAveragingTrainingMaster}. */
  Trainer create(JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<MultiDataSet> minibatches, TrainingConfig config, long seed);

  /** The engine, in the build that has it. */
  static Optional<Dl4jEngine> inThisBuild() {
    return ServiceLoader.load(Dl4jEngine.class, Dl4jEngine.class.getClassLoader()).findFirst();
  }
}
