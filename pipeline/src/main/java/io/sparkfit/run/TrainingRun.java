package io.sparkfit.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.MetricsConfig;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.nd4j.PackedMinibatch;
import io.sparkfit.data.TrainingData;
import io.sparkfit.executor.Devices;
import io.sparkfit.guard.Comparison;
import io.sparkfit.guard.DriftGate;
import io.sparkfit.guard.Promotion;
import io.sparkfit.guard.DriftTable;
import io.sparkfit.inputs.ModelInputs;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricResults;
import io.sparkfit.metrics.spark.MetricsSink;
import io.sparkfit.model.ModelArchive;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.NetworkJson;
import io.sparkfit.model.Provenance;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.output.OutputDirectory;
import io.sparkfit.output.OutputOverlap;
import io.sparkfit.score.Evaluation;
import io.sparkfit.train.AutoWorkers;
import io.sparkfit.train.Trainer;
import io.sparkfit.train.Trainers;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import io.sparkfit.model.Network;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run, end to end: check where the output goes, pick the checkpoint to resume from,
 * read and check the data, build the network, run the {@link EpochLoop}, and write {@code model.zip},
 * {@code metrics.json}, {@code provenance.json} and {@code report.html} atomically into
 * {@code output.dir}.
 */
public final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  public static final String METRICS_FILE = "metrics.json";
  public static final String PROVENANCE_FILE = "provenance.json";
  /** A system property: {@code true} validates in a Spark job of its own, as before the engine did it in the training stage. */
  public static final String SEPARATE_VALIDATION_PASS = "sparkfit.validation.separate-pass";

  private TrainingRun() {}

  /** Whether a run continues from the checkpoint of an earlier run of its config. */
  public enum Resume {
    /** Start afresh (an old checkpoint is replaced epoch by epoch). */
    NEVER,
    /** {@code --resume}: there must be a checkpoint of this config. */
    REQUIRED,
    /** {@code --resume-if-present}: resume when there is one, for scheduler retries. */
    IF_PRESENT
  }

  /** A trained model (with its provenance), the epochs this process ran, and the {@code metrics.json} content. */
  public record Fitted(TrainedModel model, List<EpochResult> epochs, RunMetrics metrics, Optional<DriftTable> drift) {}

  public static TrainingSummary run(SparkSession spark, LoadedConfig loaded) {
    return run(spark, loaded, Resume.NEVER, GracefulStop.none());
  }

  /** As {@link #run(SparkSession, LoadedConfig, Resume, GracefulStop)}, with no signal to stop it. */
  public static TrainingSummary run(SparkSession spark, LoadedConfig loaded, Resume resume) {
    return run(spark, loaded, resume, GracefulStop.none());
  }

  /**
   * Trains and writes the output. First, before anything is read: the output must not overlap an
   * input, and this run takes the output's lease, so no other run writes it (or its checkpoints)
   * meanwhile. Each epoch ends with a checkpoint beside {@code output.dir}; {@code resume} continues
   * from the latest one, which must come from a config with the same resume fingerprint. The
   * checkpoints are removed once the output is in place. A {@code stop} ends the run at its next safe
   * point with {@link io.sparkfit.StoppedBySignal}.
   */
  public static TrainingSummary run(SparkSession spark, LoadedConfig loaded, Resume resume, GracefulStop stop) {
    SparkfitConfig config = loaded.config();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // claim checks that the output may be replaced, as checkBeforeSpark did.
    refuseOverlap(config, sc.hadoopConfiguration());
    Trainers.awaitSlots(sc, config.training());
    int resumedAfter = 0;
    try (OutputDirectory output =
            OutputDirectory.claim(
                config.output().dir(),
                config.output().overwrite(),
                sc.hadoopConfiguration(),
                sc.sc().applicationId(),
                "output.dir",
                OVERWRITE_HINT,
                Duration.ofSeconds(config.output().leaseTimeoutSeconds()));
        GracefulStop.JobCancelling jobs = stop.cancelSparkJobsOnStop(sc.sc())) {
      Checkpoints checkpoints = Checkpoints.of(loaded, sc.hadoopConfiguration());
      Optional<Checkpoint> from =
          resume == Resume.REQUIRED || resume == Resume.IF_PRESENT && checkpoints.exists()
              ? Optional.of(checkpoints.latestForResume())
              : Optional.empty();
      resumedAfter = from.map(Checkpoint::epoch).orElse(0);
      stop.throwIfRequested(EpochLoop.outcome(resumedAfter));
      // Checkpoints belong to the lease holder: none is written once the lease is lost.
      CheckpointSink held =
          checkpoint -> {
            output.checkLease();
            checkpoints.save(checkpoint);
          };
      EpochLoop.Stopping stopping = new EpochLoop.Stopping(stop, config.training().stopGraceSeconds(), jobs::cancelAll);
      Promotion.checkBeforeTraining(config, output.location(), sc.hadoopConfiguration());
      DriftGate drift = DriftGate.of(config, sc.hadoopConfiguration());
      Fitted fitted = fit(spark, loaded, from, held, Optional.empty(), stopping, drift);
      // Compared before the output is written, so that its report carries the verdict; promoted
      // after, so that the pointer only ever names a whole model.
      Optional<Comparison> verdict = Promotion.challenge(spark, config, fitted.model(), output.location());
      write(output, fitted, verdict);
      checkpoints.delete();
      LOG.info("Wrote the model to {}", output.location());
      if (config.guard().promote().champion().isPresent()) {
        String pointer = config.guard().promote().champion().get();
        try {
          Promotion.promoteOrRefuse(pointer, output.location(), verdict, sc.hadoopConfiguration(), "guard.promote.champion");
        } catch (InvalidInputException e) {
          // The model is written and whole: only its promotion failed (the pointer unreachable, or held past patience).
          throw new InvalidInputException(
              e.getMessage() + "; the model is written to " + output.location() + ": promote it with sparkfit promote --model "
                  + output.location() + " --current " + pointer + (verdict.isPresent() ? " --verdict " + output.location() + "/" + GATE_FILE : ""));
        }
      }
      return new TrainingSummary(output.location(), fitted.epochs());
    } catch (Exception e) {
      throw stop.explain(e, EpochLoop.outcome(resumedAfter));
    }
  }

  private static final String OVERWRITE_HINT = "set output.overwrite=true to replace it";

  /**
   * The checks of a run's paths and files that need no Spark, made before Spark starts so that a
   * wrong path or a refused network costs no cluster time: {@code output.dir} overlaps no input and
   * exists only when {@code output.overwrite} lets it be replaced, and {@code
   * model.dl4j-configuration} names only DL4J's classes. {@link #run} makes each again where it
   * reads or writes, with the session's Hadoop configuration, which is the one that counts.
   */
  public static void checkBeforeSpark(LoadedConfig loaded) {
    SparkfitConfig config = loaded.config();
    org.apache.hadoop.conf.Configuration hadoop = SparkSessions.hadoopConfiguration(config.spark());
    refuseOverlap(config, hadoop);
    OutputDirectory.checkReplaceable(config.output().dir(), config.output().overwrite(), hadoop, "output.dir", OVERWRITE_HINT);
    config.model().dl4jConfiguration().ifPresent(
        json -> NetworkJson.checkClasses(ModelFiles.readText(json, hadoop, "model.dl4j-configuration"), "model.dl4j-configuration " + json));
  }

  private static void refuseOverlap(SparkfitConfig config, org.apache.hadoop.conf.Configuration hadoop) {
    OutputOverlap.refuse(hadoop, new OutputOverlap.Named("output.dir", config.output().dir()), inputs(config));
  }

  /** What a run reads: its output may be none of them, contain none, and lie inside none. */
  private static List<OutputOverlap.Named> inputs(SparkfitConfig config) {
    List<OutputOverlap.Named> inputs = new ArrayList<>();
    inputs.add(new OutputOverlap.Named("data.train", config.data().train()));
    config.data().validation().ifPresent(v -> inputs.add(new OutputOverlap.Named("data.validation", v)));
    config.model().initFrom().ifPresent(p -> inputs.add(new OutputOverlap.Named("model.init-from", p)));
    config.model().dl4jConfiguration().ifPresent(p -> inputs.add(new OutputOverlap.Named("model.dl4j-configuration", p)));
    return inputs;
  }

  /** Trains on {@code data} (from scratch or {@code model.init-from}) without checkpoints: for Spark ML fits. */
  public static Fitted fit(SparkSession spark, LoadedConfig loaded, TrainingData data) {
    return fit(spark, loaded, Optional.empty(), CheckpointSink.none(), Optional.of(data), EpochLoop.Stopping.never(), DriftGate.off());
  }

  /**
   * Trains, saving a checkpoint after each epoch, and returns the model with its provenance. Reads
   * the data named by the config unless {@code given} is present (which the caller then owns).
   */
  static Fitted fit(
      SparkSession spark,
      LoadedConfig loaded,
      Optional<Checkpoint> from,
      CheckpointSink checkpoints,
      Optional<TrainingData> given,
      EpochLoop.Stopping stopping,
      DriftGate drift) {
    Instant started = Instant.now();
    SparkfitConfig config = loaded.config();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // A run that continues a model (a checkpoint, or model.init-from) encodes the data as that model does.
    Optional<TrainedModel> previous =
        from.isEmpty()
            ? config.model().initFrom().map(path -> ModelFiles.load(path, sc.hadoopConfiguration(), "model.init-from"))
            : Optional.empty();
    Optional<TrainingData.Continued> fitted =
        from.map(c -> new TrainingData.Continued(c.model().inputs(), "the checkpoint of epoch " + c.epoch()))
            .or(() -> previous.map(p -> new TrainingData.Continued(p.inputs(), "model.init-from " + config.model().initFrom().get())));
    TrainingData data = given.orElseGet(() -> TrainingData.load(spark, config.data(), config.model().seed(), fitted, drift::checkSchema, config.metrics().slices()));
    try {
      // Before any training: the profile the data was just checked with is the one compared.
      Optional<DriftTable> driftTable = drift.check(data.driftReference());
      Optional<double[]> classWeights = data.classWeights(config.training().classWeights());
      EpochLoop.Outcome outcome = train(sc, config, data, classWeights, from, previous, checkpoints, stopping);
      Provenance provenance = RunProvenance.of(loaded, sc, data, outcome.model(), classWeights, started);
      return new Fitted(outcome.model().withProvenance(provenance), outcome.ran(), outcome.metrics(), driftTable);
    } finally {
      if (given.isEmpty()) {
        data.release();
      }
    }
  }

  /** Builds the network (or restores it from {@code from}) and runs the epochs on checked data. */
  private static EpochLoop.Outcome train(
      JavaSparkContext sc,
      SparkfitConfig config,
      TrainingData data,
      Optional<double[]> classWeights,
      Optional<Checkpoint> from,
      Optional<TrainedModel> previous,
      CheckpointSink checkpoints,
      EpochLoop.Stopping stopping) {
    long rows = data.trainCounts().used();
    InvalidInputException.check(
        config.training().batchSizePerWorker() <= rows,
        "Invalid training.batch-size-per-worker: %s (more than the %d training rows: every epoch would be one partial "
            + "minibatch per worker; at most %d here)",
        config.training().batchSizePerWorker(),
        rows,
        rows);
    int batchSize = config.training().batchSizePerWorker();
    Placement placement = place(sc, config, data, classWeights, from, previous);
    int workers = placement.workers();
    InitialNetwork.Start start = placement.start();
    Network network = start.network();
    LOG.info(
        "Training on {} rows ({} features{}), validating on {} rows; {} parameters",
        data.trainCounts().used(),
        data.featureSpec().width(),
        data.labelIndex().kind().isClass() ? ", classes " + data.labelIndex().values() : "",
        data.validationCounts().used(),
        network.numParams());

    JavaRDD<MultiDataSet> trainBatches = data.trainMinibatches(batchSize, start.layout());
    // Fixed once, before training: the slice values evaluate reports, saved with every model written.
    io.sparkfit.inputs.MetricColumns metricColumns = data.metricColumns(config.metrics());
    Evaluator unweighted =
        Evaluator.of(
            config.metrics(), config.data().task(), data.labelIndex().outputs(), data.normalizer().targetShift(), data.normalizer().targetScale());
    // With data.weight-column the minibatches' labels masks hold the rows' weights, and every metric weighs by them.
    Evaluator evaluator = data.weighted() ? unweighted.weighted() : unweighted;
    // Encoded once, on first use, instead of from the cached rows every epoch; packed on local disk,
    // as the training minibatches are, so that validating streams them without holding them in memory.
    Optional<JavaRDD<PackedMinibatch>> packedValidation =
        data.validationMinibatches(batchSize, start.layout())
            .map(v -> v.map(PackedMinibatch::packAndRelease).persist(StorageLevel.DISK_ONLY()));
    Optional<JavaRDD<MultiDataSet>> validationBatches = packedValidation.map(v -> v.mapPartitions(PackedMinibatch::unpackEach));
    // Sparkfit's engine scores the validation data inside its training stage, with no job of its own
    // (the system property keeps the separate pass, for bench/metrics-modes to compare the two).
    boolean inStage =
        Trainers.validatesInStage(config.training())
            && config.metrics().mode() != MetricsConfig.Mode.FAST
            && !Boolean.getBoolean(SEPARATE_VALIDATION_PASS);
    MetricsSink metrics = MetricsSink.create(sc, config.metrics(), config.training(), evaluator, validationBatches, inStage);
    Devices.preflight(sc, config.training().device(), sc.defaultParallelism());
    // Resolved once: the learning rate was scaled for this many workers, and this many train.
    try (Trainer trainer =
        Trainers.create(
            sc,
            network,
            trainBatches,
            inStage ? packedValidation : Optional.empty(),
            config.training().withWorkers(workers),
            config.model().seed())) {
      EpochLoop loop =
          new EpochLoop(
              trainer,
              metrics,
              new MetricResults(config.metrics().names(), data.labelIndex().values()),
              EarlyStopper.of(config.training().earlyStopping()),
              checkpoints,
              data.normalizer(),
              trained -> new TrainedModel(
                  trained,
                  new ModelInputs(
                      config.data().task(), data.featureSpec(), start.layout(), data.labelColumn(), data.labelIndex(), data.normalizer(),
                      metricColumns),
                  config.data().dropInvalid(),
                  Optional.empty()),
              config.training().epochs(),
              stopping);
      EpochLoop.Outcome outcome = loop.run(from);
      return withSliceMetrics(sc, config, data, metricColumns, evaluator, start.layout(), outcome);
    } finally {
      packedValidation.ifPresent(v -> v.unpersist(false));
    }
  }

  /**
   * {@code outcome} with the kept model's metrics per slice ({@code metrics.slices}): one pass over the
   * validation rows (the training rows without them), the whole data's and every slice's states in the
   * same accumulator. None in fast mode, which skips metric work, nor for data loaded without the slice
   * columns (a Spark ML fit).
   */
  private static EpochLoop.Outcome withSliceMetrics(
      JavaSparkContext sc,
      SparkfitConfig config,
      TrainingData data,
      io.sparkfit.inputs.MetricColumns metricColumns,
      Evaluator evaluator,
      io.sparkfit.inputs.InputLayout layout,
      EpochLoop.Outcome outcome) {
    List<io.sparkfit.inputs.MetricColumns.SliceColumn> slices = metricColumns.slices();
    if (slices.isEmpty() || config.metrics().mode() == MetricsConfig.Mode.FAST || !data.sliceColumns().equals(metricColumns.sliceColumnNames())) {
      return outcome;
    }
    String rows = data.hasValidation() ? "validation" : "train";
    io.sparkfit.metrics.MetricSet states =
        new io.sparkfit.metrics.spark.DistributedEvaluation(sc, evaluator, Evaluation.slicing(slices), "slices", config.training().threadsPerTask())
            .evaluate(outcome.model().network(), data.slicedMinibatches(config.training().batchSizePerWorker(), layout, slices));
    io.sparkfit.metrics.SliceMetrics metrics =
        Evaluation.sliceMetrics(new MetricResults(config.metrics().names(), data.labelIndex().values()), states, slices);
    LOG.info("Metrics of the kept model per slice of {} ({} rows): in metrics.json under \"slices\"", metricColumns.sliceColumnNames(), rows);
    return new EpochLoop.Outcome(outcome.model(), outcome.metrics().withSlices(new RunMetrics.Slices(rows, metrics)), outcome.ran());
  }

  /** How many workers train, and the network they start from (its learning rate scaled for them). */
  private record Placement(int workers, InitialNetwork.Start start) {}

  /**
   * {@code training.workers}: a count is obeyed (0: every task slot); {@code auto} weighs the
   * network's work per example, so the network is built first for one worker (whose learning rate is
   * unscaled), and again for more. A checkpoint's network has the shapes, and the rate, it had.
   */
  private static Placement place(
      JavaSparkContext sc,
      SparkfitConfig config,
      TrainingData data,
      Optional<double[]> classWeights,
      Optional<Checkpoint> from,
      Optional<TrainedModel> previous) {
    TrainingConfig training = config.training();
    Optional<InitialNetwork.Start> restored = from.map(c -> new InitialNetwork.Start(c.model().network(), c.model().layout()));
    if (!training.autoWorkers()) {
      int workers = Trainers.workers(sc, training);
      LOG.info(
          "Training on {} worker{} (training.workers = {})",
          workers, workers == 1 ? "" : "s", training.workers() == 0 ? "0: every task slot" : workers);
      return new Placement(
          workers, restored.orElseGet(() -> InitialNetwork.create(config, data, classWeights, previous, sc.hadoopConfiguration(), workers)));
    }
    InitialNetwork.Start probe =
        restored.orElseGet(() -> InitialNetwork.create(config, data, classWeights, previous, sc.hadoopConfiguration(), 1));
    long multiplyAdds =
        probe.network().multiplyAddsPerExample(data.trainMinibatches(training.batchSizePerWorker(), probe.layout()).first());
    AutoWorkers.Choice choice =
        new AutoWorkers(
                data.trainCounts().used(), probe.network().numParams(), multiplyAdds, training.batchSizePerWorker(), training.averagingFrequency())
            .choose(Trainers.workers(sc, training.withWorkers(0)));
    int workers = choice.workers();
    LOG.info("Training on {} worker{} (training.workers = auto): {}", workers, workers == 1 ? "" : "s", choice.reason());
    return new Placement(
        workers,
        workers == 1 || from.isPresent()
            ? probe
            : InitialNetwork.create(config, data, classWeights, previous, sc.hadoopConfiguration(), workers));
  }

  /** The champion/challenger gate's result in a training output. */
  public static final String GATE_FILE = "gate.json";

  private static void write(OutputDirectory output, Fitted fitted, Optional<Comparison> verdict) {
    Provenance provenance = fitted.model().provenance().orElseThrow();
    output.write(
        staged -> {
          try (OutputStream out = staged.create(ModelArchive.FILE_NAME)) {
            ModelArchive.write(fitted.model(), out);
          }
          try (OutputStream out = staged.create(METRICS_FILE)) {
            JSON.writeValue(out, fitted.metrics().toJson());
          }
          try (OutputStream out = staged.create(PROVENANCE_FILE)) {
            JSON.writeValue(out, provenance);
          }
          if (verdict.isPresent()) {
            try (OutputStream out = staged.create(GATE_FILE)) {
              JSON.writeValue(out, verdict.get());
            }
          }
          if (fitted.drift().isPresent()) {
            try (OutputStream out = staged.create(DriftGate.FILE)) {
              JSON.writeValue(out, fitted.drift().get());
            }
          }
          try (OutputStream out = staged.create(RunReport.FILE)) {
            out.write(RunReport.html(fitted.metrics(), provenance, fitted.drift(), verdict).getBytes(StandardCharsets.UTF_8));
          }
        });
  }
}
