package io.sparkfit.jobs;

import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.output.OutputOverlap;
import io.sparkfit.run.GracefulStop;
import io.sparkfit.run.SparkSessions;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.score.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Scores Parquet with a model: {@code predict --model DIR --data PATH --output PATH [--keep a,b | --keep-all]}.
 * Also a {@code spark-submit --class} entry point.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = "Score Parquet data with a trained model; write Parquet with predictions.")
public final class PredictJob implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A training output directory, or its model.zip.")
  String model;

  @Option(names = "--data", required = true, paramLabel = "PATH", description = "Parquet with the model's feature columns.")
  String data;

  @Option(names = "--output", required = true, paramLabel = "PATH", description = "Where to write the predictions (Parquet).")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @ArgGroup(exclusive = true)
  KeepColumns keep;

  static final class KeepColumns {
    @Option(names = "--keep", split = ",", paramLabel = "COLUMN", description = "Input columns to copy to the output, e.g. --keep id,ts.")
    List<String> columns;

    @Option(names = "--keep-all", description = "Copy every input column to the output.")
    boolean all;
  }

  @Parameters(
      paramLabel = "key=value",
      description = "Settings: scoring.batch-size=N, data.drop-invalid=true|false (default: as in training), "
          + "spark.master=..., spark.conf.\"key\"=...")
  List<String> settings = new ArrayList<>();

  public static void main(String[] args) {
    Sparkfit.exit(Sparkfit.run(new PredictJob(), args, StopSignals.install()));
  }

  @Override
  public Integer call() {
    OutputOverlap.refuse(
        new Configuration(),
        new OutputOverlap.Named("--output", output),
        List.of(new OutputOverlap.Named("--data", data), new OutputOverlap.Named("--model", model)));
    TrainedModel trained = ModelFiles.load(model, new Configuration(), "--model");
    ScoringConfig config = ConfigLoader.loadScoring(settings, trained.task(), trained.dropInvalid());
    Prediction.Keep kept =
        keep == null ? Prediction.Keep.none() : keep.all ? Prediction.Keep.allColumns() : new Prediction.Keep(keep.columns, false);
    GracefulStop stop = Sparkfit.stop();
    SparkSession spark = SparkSessions.create(config.spark());
    try (GracefulStop.JobCancelling jobs = stop.cancelSparkJobsOnStop(spark.sparkContext())) {
      Prediction.Summary summary;
      try {
        summary = Prediction.run(spark, trained, data, output, kept, overwrite, config);
      } catch (Exception e) {
        throw stop.explain(e, "before the predictions were complete; nothing was written");
      }
      System.out.printf(
          "Predictions for %d rows written to %s%s%n",
          summary.rowsWritten(),
          summary.output(),
          summary.rowsSkipped() > 0 ? " (" + summary.rowsSkipped() + " rows with invalid features skipped)" : "");
    } finally {
      SparkSessions.stop(spark);
    }
    return 0;
  }
}
