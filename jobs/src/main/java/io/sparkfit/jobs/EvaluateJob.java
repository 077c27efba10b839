package io.sparkfit.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.output.OutputOverlap;
import io.sparkfit.run.GracefulStop;
import io.sparkfit.run.SparkSessions;
import io.sparkfit.score.Evaluation;
import io.sparkfit.model.ModelFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Computes a model's metrics on labelled Parquet: {@code evaluate --model DIR --data PATH [--output FILE]}.
 * Prints the metrics as JSON, laid out as a block of {@code metrics.json}, with the model's provenance under {@code model}. Also a {@code spark-submit --class} entry point.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Compute a trained model's metrics on labelled Parquet data.")
public final class EvaluateJob implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A training output directory, or its model.zip.")
  String model;

  @Option(names = "--data", required = true, paramLabel = "PATH", description = "Parquet with the model's feature and label columns.")
  String data;

  @Option(names = "--output", paramLabel = "FILE", description = "Also write the JSON here (replaced if it exists).")
  String output;

  @Parameters(
      paramLabel = "key=value",
      description = "Settings: metrics.names=[accuracy,auc], metrics.auc-bins=N, metrics.exact-auc=true, scoring.batch-size=N, "
          + "data.drop-invalid=true, spark.master=..., spark.conf.\"key\"=...")
  List<String> settings = new ArrayList<>();

  public static void main(String[] args) {
    Sparkfit.exit(Sparkfit.run(new EvaluateJob(), args, StopSignals.install()));
  }

  @Override
  public Integer call() throws IOException {
    if (output != null) {
      JsonFile.checkWritable(output, "evaluate", List.of(new OutputOverlap.Named("--data", data), new OutputOverlap.Named("--model", model)));
    }
    // The model is read, and the settings checked against its task, before Spark starts.
    TrainedModel trained = ModelFiles.load(model, new Configuration(), "--model");
    ScoringConfig config = ConfigLoader.loadScoring(settings, trained.task(), trained.dropInvalid());
    GracefulStop stop = Sparkfit.stop();
    SparkSession spark = SparkSessions.create(config.spark());
    try (GracefulStop.JobCancelling jobs = stop.cancelSparkJobsOnStop(spark.sparkContext())) {
      String json;
      try {
        json = JSON.writeValueAsString(Evaluation.run(spark, trained, data, config).toJson());
      } catch (Exception e) {
        throw stop.explain(e, "before the metrics were complete; nothing was written");
      }
      if (output != null) {
        JsonFile.write(spark, output, json);
      }
      System.out.println(json);
    } finally {
      SparkSessions.stop(spark);
    }
    return 0;
  }
}
