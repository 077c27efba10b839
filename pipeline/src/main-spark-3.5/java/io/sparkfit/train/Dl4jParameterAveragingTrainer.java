package io.sparkfit.train;

import io.sparkfit.config.TrainingConfig;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.spark.EpochMetrics;
import io.sparkfit.metrics.spark.MetricsAccumulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import io.sparkfit.model.Network;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DL4J's Spark module: {@link SparkDl4jMultiLayer} with {@link ParameterAveragingTrainingMaster}.
 *
 * <p>In local mode the minibatches are exported once to a private temporary directory and read back
 * each epoch (DL4J's fastest approach); on a cluster, where a local export directory is not visible
 * to every executor, they are used directly from a persisted RDD whose storage level matches the
 * training master's. The updater state is averaged with the parameters, so Adam keeps its moments
 * across averaging rounds.
 */
final class Dl4jParameterAveragingTrainer implements Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Dl4jParameterAveragingTrainer.class);
  private static final StorageLevel DIRECT_STORAGE = StorageLevel.MEMORY_AND_DISK_SER();
  private static final int PREFETCH_BATCHES = 2;

  private final JavaSparkContext sc;
  private final SparkDl4jMultiLayer sparkNetwork;
  private final ParameterAveragingTrainingMaster master;
  private final JavaRDD<DataSet> minibatches;
  private final MetricsAccumulator lossAccumulator;
  private final Path exportDirectory;

  Dl4jParameterAveragingTrainer(
      JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<MultiDataSet> multiMinibatches, TrainingConfig config, long seed) {
    // A layer stack has one input: DL4J's engine takes its minibatches as DataSets.
    JavaRDD<DataSet> minibatches = multiMinibatches.map(Network::singleInput);
    this.sc = sc;
    this.lossAccumulator = new MetricsAccumulator();
    sc.sc().register(lossAccumulator, "sparkfit.loss");
    ParameterAveragingTrainingMaster.Builder builder =
        new ParameterAveragingTrainingMaster.Builder(
                config.workers() > 0 ? config.workers() : null, config.batchSizePerWorker())
            .batchSizePerWorker(config.batchSizePerWorker())
            .averagingFrequency(config.averagingFrequency())
            .workerPrefetchNumBatches(PREFETCH_BATCHES)
            .saveUpdater(true)
            .rngSeed(seed)
            .trainingHooks(new ThreadLimitHook(config.threadsPerTask()), new TrainingLossHook(lossAccumulator));
    if (sc.isLocal()) {
      try {
        exportDirectory = Files.createTempDirectory("sparkfit-export-");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a temporary export directory", e);
      }
      builder.rddTrainingApproach(RDDTrainingApproach.Export).exportDirectory(exportDirectory.toUri().toString());
      this.minibatches = minibatches;
    } else {
      exportDirectory = null;
      builder.rddTrainingApproach(RDDTrainingApproach.Direct).storageLevel(DIRECT_STORAGE);
      this.minibatches = minibatches.persist(DIRECT_STORAGE);
    }
    this.master = builder.build();
    this.sparkNetwork = new SparkDl4jMultiLayer(sc, network, master);
    LOG.info(
        "Training with DL4J parameter averaging: {} approach, {} workers, batch {} per worker, averaging every {} minibatches",
        exportDirectory != null ? "export" : "direct",
        Trainers.workers(sc, config),
        config.batchSizePerWorker(),
        config.averagingFrequency());
  }

  @Override
  public MetricSet fitEpoch(int epoch, EpochMetrics metrics) {
    lossAccumulator.reset();
    master.setListeners(metrics.listeners());
    sparkNetwork.fit(minibatches);
    return lossAccumulator.value();
  }

  /** DL4J's engine runs several Spark jobs per epoch: all of them go. */
  @Override
  public void abandonEpoch() {
    sc.cancelAllJobs();
  }

  @Override
  public Network network() {
    return Network.of(sparkNetwork.getNetwork());
  }

  @Override
  public void close() {
    master.deleteTempFiles(sc);
    if (exportDirectory == null) {
      minibatches.unpersist(false);
    } else {
      deleteRecursively(exportDirectory);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Could not delete temporary export directory {}", dir, e);
    }
  }
}
