package io.sparkfit.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.EarlyStopping;
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
import io.sparkfit.score.ModelFiles;
import io.sparkfit.train.Devices;
import io.sparkfit.train.Trainer;
import io.sparkfit.train.Trainers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
import org.apache.spark.storage.StorageLevel;
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
    return run(spark, loaded, Resume.NEVER);
  }

  /** Whether a run continues from the checkpoint of an earlier run of its config. */
  public enum Resume {
    /** Start afresh (an old checkpoint is replaced epoch by epoch). */
    NEVER,
    /** {@code --resume}: there must be a checkpoint of this config. */
    REQUIRED,
    /** {@code --resume-if-present}: resume when there is one, for scheduler retries. */
    IF_PRESENT
  }

  /** As {@link #run(SparkSession, LoadedConfig, Resume)}: {@code resume} means {@link Resume#REQUIRED}. */
  public static TrainingSummary run(SparkSession spark, LoadedConfig loaded, boolean resume) {
    return run(spark, loaded, resume ? Resume.REQUIRED : Resume.NEVER);
  }

  /**
   * Trains and writes the output. Each epoch ends with a checkpoint beside {@code output.dir};
   * {@code resume} continues from the latest one, which must come from the same config. The
   * checkpoints are removed once the output is in place.
   */
  public static TrainingSummary run(SparkSession spark, LoadedConfig loaded, Resume resume) {
    SparkfitConfig config = loaded.config();
    Instant started = Instant.now();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    OutputDirectory output =
        OutputDirectory.prepare(config.output().dir(), config.output().overwrite(), sc.hadoopConfiguration(), sc.sc().applicationId());
    Checkpoints checkpoints = Checkpoints.beside(config.output().dir(), sc.hadoopConfiguration(), configHash(loaded));
    Optional<Checkpoints.Checkpoint> from =
        resume == Resume.REQUIRED || resume == Resume.IF_PRESENT && checkpoints.exists()
            ? Optional.of(checkpoints.latestForResume())
            : Optional.empty();

    TrainingData data = TrainingData.load(spark, config.data(), config.model().seed());
    try {
      Fitted fitted = fit(spark, config, data, from, checkpoints);
      Provenance provenance = provenance(loaded, sc, data, fitted.model(), started);
      write(output, fitted.model(), fitted.metrics(), provenance);
      checkpoints.delete();
      LOG.info("Wrote the model to {}", output.location());
      return new TrainingSummary(output.location(), fitted.epochs());
    } finally {
      data.release();
    }
  }

  /** SHA-256 of the resolved config: a checkpoint resumes only the config that wrote it. */
  static String configHash(LoadedConfig loaded) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(loaded.resolvedJson().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A trained model, the epochs this process ran, and the {@code metrics.json} content. */
  public record Fitted(TrainedModel model, List<EpochRecord> epochs, Map<String, Object> metrics) {}

  /** Trains from scratch (or {@code model.init-from}) without checkpoints: for Spark ML fits. */
  public static Fitted fit(SparkSession spark, SparkfitConfig config, TrainingData data) {
    return fit(spark, config, data, Optional.empty(), CheckpointSink.none());
  }

  /**
   * Builds the network (or restores it from {@code from}) and trains it on checked data, epoch by
   * epoch with a validation pass after each, logging one line per epoch and saving a checkpoint after
   * each. Under early stopping it stops after {@code patience} epochs without improvement and keeps
   * the best epoch's model. Writes no output; the caller owns {@code data}.
   */
  static Fitted fit(
      SparkSession spark, SparkfitConfig config, TrainingData data, Optional<Checkpoints.Checkpoint> from, CheckpointSink checkpoints) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int outputs = data.labelIndex().outputs();
    MultiLayerNetwork network =
        from.map(c -> c.model().network()).orElseGet(() -> initialNetwork(sc, config, data, outputs));
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
    // Decoded once, on first use, instead of from the cached rows every epoch; serialized, since a
    // DataSet's arrays are off-heap where Spark cannot account for them.
    Optional<JavaRDD<DataSet>> validationBatches =
        data.validationMinibatches(batchSize).map(v -> v.persist(StorageLevel.MEMORY_AND_DISK_SER()));
    MetricsSink metrics = MetricsSink.create(sc, config.metrics(), config.training(), evaluator, validationBatches);
    MetricsReport report = new MetricsReport(new MetricResults(config.metrics().names(), data.labelIndex().values()));
    Devices.preflight(sc, config.training().device(), sc.defaultParallelism());
    EarlyStopping rule = config.training().earlyStopping();
    List<EpochRecord> epochs = new ArrayList<>();
    List<Map<String, Object>> history = new ArrayList<>(from.map(Checkpoints.Checkpoint::history).orElse(List.of()));
    EarlyStoppingState stopping = from.map(Checkpoints.Checkpoint::earlyStopping).orElse(EarlyStoppingState.start());
    Optional<TrainedModel> best =
        from.flatMap(Checkpoints.Checkpoint::best)
            .or(() -> from.filter(c -> c.earlyStopping().bestEpoch() == c.epoch()).map(c -> copy(c.model())));
    int first = from.map(c -> c.epoch() + 1).orElse(1);
    int last = first - 1;
    boolean stopped = from.isPresent() && stopping.shouldStop(rule);
    try (Trainer trainer = Trainers.create(sc, network, trainBatches, config.training(), config.model().seed())) {
      for (int epoch = first; epoch <= config.training().epochs() && !stopped; epoch++) {
        long start = System.nanoTime();
        MetricSet loss = inTargetUnits(trainer.fitEpoch(epoch, metrics.trainingListeners(epoch)), data.normalizer());
        MetricSet train = loss.merge(metrics.trainingMetrics(epoch));
        Optional<MetricSet> validated = metrics.validation(epoch, trainer.network());
        EpochRecord record = new EpochRecord(epoch, (System.nanoTime() - start) / 1e9, train, validated);
        epochs.add(record);
        Map<String, Object> entry = report.entry(record);
        history.add(entry);
        LOG.info(report.logLine(record, config.training().epochs()));
        stopping = stopping.after(rule, epoch, entry);
        if (rule.enabled() && stopping.improvedAt(epoch)) {
          // A copy: the trainer goes on changing its network.
          best = Optional.of(trained(trainer.network().clone(), config, data));
        }
        // The best model is saved apart only once training has moved past it.
        checkpoints.save(
            epoch, trained(trainer.network(), config, data), stopping.improvedAt(epoch) ? Optional.empty() : best, history, stopping);
        last = epoch;
        if (stopping.shouldStop(rule)) {
          LOG.info(
              "Early stopping after epoch {}: {} has not improved for {} epochs; keeping epoch {} ({} = {})",
              epoch, rule.metric().get(), stopping.epochsSinceBest(), stopping.bestEpoch(), rule.metric().get(),
              String.format(java.util.Locale.ROOT, "%.4f", stopping.bestValue()));
          stopped = true;
        }
      }
      network = trainer.network();
    } finally {
      validationBatches.ifPresent(v -> v.unpersist(false));
    }
    boolean keepBest = rule.enabled() && best.isPresent() && stopping.bestEpoch() != last;
    TrainedModel model = keepBest ? best.orElseThrow() : trained(network, config, data);
    int kept = keepBest ? stopping.bestEpoch() : last;
    Map<String, Object> json = new LinkedHashMap<>(MetricsReport.toJson(history, kept));
    if (rule.enabled()) {
      Map<String, Object> block = new LinkedHashMap<>();
      block.put("metric", rule.metric().get());
      block.put("best-epoch", stopping.bestEpoch());
      block.put("best-value", Double.isFinite(stopping.bestValue()) ? stopping.bestValue() : null);
      block.put("stopped-after-epoch", last);
      block.put("stopped-early", last < config.training().epochs());
      json.put("early-stopping", block);
    }
    return new Fitted(model, epochs, json);
  }

  private static TrainedModel copy(TrainedModel model) {
    return new TrainedModel(
        model.network().clone(),
        model.task(),
        model.featureSpec(),
        model.labelColumn(),
        model.labelIndex(),
        model.normalizer(),
        model.dropInvalid());
  }

  private static TrainedModel trained(MultiLayerNetwork network, SparkfitConfig config, TrainingData data) {
    return new TrainedModel(
        network,
        config.data().task(),
        data.featureSpec(),
        data.labelColumn(),
        data.labelIndex(),
        data.normalizer(),
        config.data().dropInvalid());
  }

  /**
   * A fresh network, or with {@code model.init-from} one that starts from a previous model's
   * parameters (the nightly retrain on new data). The previous model must read the same features
   * and predict the same classes, and have the same layers; its updater state is not carried over.
   */
  private static MultiLayerNetwork initialNetwork(JavaSparkContext sc, SparkfitConfig config, TrainingData data, int outputs) {
    MultiLayerNetwork network = NetworkFactory.create(config.model(), config.data().task(), data.featureSpec().width(), outputs);
    if (config.model().initFrom().isEmpty()) {
      return network;
    }
    String path = config.model().initFrom().get();
    TrainedModel previous = ModelFiles.load(path, sc.hadoopConfiguration(), "model.init-from");
    InvalidInputException.check(
        previous.featureSpec().equals(data.featureSpec()),
        "model.init-from %s reads %s (%d features), but this data has %s (%d features)",
        path, previous.featureSpec().describe(), previous.featureSpec().width(), data.featureSpec().describe(), data.featureSpec().width());
    InvalidInputException.check(
        previous.labelIndex().equals(data.labelIndex()),
        "model.init-from %s predicts %s %s, but this data's label index is %s %s",
        path, previous.labelIndex().kind(), previous.labelIndex().values(), data.labelIndex().kind(), data.labelIndex().values());
    InvalidInputException.check(
        previous.network().numParams() == network.numParams()
            && previous.network().getLayerWiseConfigurations().getConfs().size() == network.getLayerWiseConfigurations().getConfs().size(),
        "model.init-from %s has %d layers and %d parameters, but model.layers makes %d layers and %d parameters",
        path, previous.network().getLayerWiseConfigurations().getConfs().size(), previous.network().numParams(),
        network.getLayerWiseConfigurations().getConfs().size(), network.numParams());
    network.setParams(previous.network().params());
    LOG.info("Starting from the parameters of {}", path);
    return network;
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
      try (OutputStream out = output.create(RunReport.FILE)) {
        out.write(RunReport.html(metrics, provenance).getBytes(StandardCharsets.UTF_8));
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
