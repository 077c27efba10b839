package io.sparkfit.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.data.Normalizer;
import io.sparkfit.data.TrainingData;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.LossState;
import io.sparkfit.metrics.MetricResults;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.spark.MetricsSink;
import io.sparkfit.model.ModelArchive;
import io.sparkfit.model.NetworkFactory;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.train.Trainer;
import io.sparkfit.train.Trainers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run, end to end: read and check the data, build the network, train it epoch by epoch
 * with a validation pass after each, and write {@code model.zip}, {@code metrics.json} and
 * {@code provenance.json} atomically into {@code output.dir}.
 */
public final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  public static final String METRICS_FILE = "metrics.json";
  public static final String PROVENANCE_FILE = "provenance.json";

  private TrainingRun() {}

  public static TrainingSummary run(SparkSession spark, LoadedConfig loaded) {
    SparkfitConfig config = loaded.config();
    Instant started = Instant.now();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    OutputDirectory output =
        OutputDirectory.prepare(config.output().dir(), config.output().overwrite(), sc.hadoopConfiguration(), sc.sc().applicationId());

    TrainingData data = TrainingData.load(spark, config.data(), config.model().seed());
    try {
      Fitted fitted = fit(spark, config, data);
      Provenance provenance = provenance(loaded, sc, data, fitted.model(), started);
      write(output, fitted.model(), fitted.metrics(), provenance);
      LOG.info("Wrote the model to {}", output.location());
      return new TrainingSummary(output.location(), fitted.epochs());
    } finally {
      data.release();
    }
  }

  /** A trained model, its epochs, and its {@code metrics.json} content. */
  public record Fitted(TrainedModel model, List<EpochRecord> epochs, Map<String, Object> metrics) {}

  /**
   * Builds the network and trains it on checked data, epoch by epoch with a validation pass after
   * each, logging one line per epoch. Writes nothing; the caller owns {@code data}.
   */
  public static Fitted fit(SparkSession spark, SparkfitConfig config, TrainingData data) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int outputs = data.labelIndex().kind().isClass() ? data.labelIndex().size() : 1;
    MultiLayerNetwork network =
        NetworkFactory.create(config.model(), config.data().task(), data.featureSpec().width(), outputs);
    LOG.info(
        "Training on {} rows ({} features{}), validating on {} rows; {} parameters",
        data.trainCounts().used(),
        data.featureSpec().width(),
        data.labelIndex().kind().isClass() ? ", classes " + data.labelIndex().values() : "",
        data.validationCounts().used(),
        network.numParams());

    int batchSize = config.training().batchSizePerWorker();
    JavaRDD<DataSet> trainBatches = data.trainMinibatches(batchSize);
    Evaluator evaluator =
        Evaluator.of(config.metrics(), config.data().task(), outputs, data.normalizer().targetShift(), data.normalizer().targetScale());
    MetricsSink metrics =
        MetricsSink.create(sc, config.metrics(), config.training(), evaluator, data.validationMinibatches(batchSize));
    MetricsReport report = new MetricsReport(new MetricResults(config.metrics().names(), data.labelIndex().values()));
    List<EpochRecord> epochs = new ArrayList<>();
    try (Trainer trainer = Trainers.create(sc, network, trainBatches, config.training(), config.model().seed())) {
      for (int epoch = 1; epoch <= config.training().epochs(); epoch++) {
        long start = System.nanoTime();
        MetricSet loss = inTargetUnits(trainer.fitEpoch(epoch, metrics.trainingListeners(epoch)), data.normalizer());
        MetricSet train = loss.merge(metrics.trainingMetrics(epoch));
        Optional<MetricSet> validated = metrics.validation(epoch, trainer.network());
        EpochRecord record = new EpochRecord(epoch, (System.nanoTime() - start) / 1e9, train, validated);
        epochs.add(record);
        LOG.info(report.logLine(record, config.training().epochs()));
      }
      network = trainer.network();
    }
    TrainedModel model =
        new TrainedModel(
            network,
            config.data().task(),
            data.featureSpec(),
            data.labelColumn(),
            data.labelIndex(),
            data.normalizer(),
            config.data().dropInvalid());
    return new Fitted(model, epochs, report.toJson(epochs));
  }

  /** DL4J's regression loss is in standardised target units; report it in the target's own. */
  private static MetricSet inTargetUnits(MetricSet train, Normalizer normalizer) {
    return train.states().get(MetricSet.LOSS) instanceof LossState loss
        ? train.replacing(MetricSet.LOSS, loss.scaled(normalizer.squaredErrorScale()))
        : train;
  }

  private static void write(OutputDirectory output, TrainedModel model, Map<String, Object> metrics, Provenance provenance) {
    try {
      try (OutputStream out = output.create(ModelArchive.FILE_NAME)) {
        ModelArchive.write(model, out);
      }
      try (OutputStream out = output.create(METRICS_FILE)) {
        JSON.writeValue(out, metrics);
      }
      try (OutputStream out = output.create(PROVENANCE_FILE)) {
        JSON.writeValue(out, provenance);
      }
      output.commit();
    } catch (IOException | RuntimeException e) {
      output.abort();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("Cannot write output.dir " + output.location(), io);
      }
      throw (RuntimeException) e;
    }
  }

  private static Provenance provenance(LoadedConfig loaded, JavaSparkContext sc, TrainingData data, TrainedModel model, Instant started) {
    SparkfitConfig config = loaded.config();
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("data.train", input(config.data().train(), data.trainCounts()));
    if (config.data().validation().isPresent()) {
      inputs.put("data.validation", input(config.data().validation().get(), data.validationCounts()));
    } else if (data.hasValidation()) {
      Map<String, Object> split = input(config.data().train(), data.validationCounts());
      split.put("split-fraction", config.data().validationFraction());
      split.put("split-seed", config.model().seed());
      inputs.put("data.validation", split);
    }
    Map<String, Object> modelInfo = new LinkedHashMap<>();
    modelInfo.put("task", config.data().task().name().toLowerCase(Locale.ROOT));
    modelInfo.put("features", data.featureSpec());
    modelInfo.put("label-index", model.labelIndex().values());
    modelInfo.put("normalize", model.normalizer().kind().name().toLowerCase(Locale.ROOT));
    modelInfo.put("parameters", model.network().numParams());
    BuildInfo build = BuildInfo.load();
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("sparkfit", build.sparkfitVersion());
    versions.put("spark", sc.version());
    versions.put("deeplearning4j", build.dl4jVersion());
    versions.put("dl4j-spark", build.dl4jSparkVersion());
    versions.put("java", System.getProperty("java.version"));
    versions.put("scala", scala.util.Properties.versionNumberString());
    try {
      return new Provenance(
          JSON.readTree(loaded.resolvedJson()),
          inputs,
          modelInfo,
          versions,
          build.gitCommit().orElse(null),
          sc.sc().applicationId(),
          sc.master(),
          started.toString(),
          Instant.now().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> input(String path, TrainingData.RowCounts counts) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("rows", counts.read());
    m.put("dropped", counts.dropped());
    m.put("used", counts.used());
    return m;
  }
}
