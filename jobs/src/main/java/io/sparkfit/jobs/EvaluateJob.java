package io.sparkfit.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.run.SparkSessions;
import io.sparkfit.score.Evaluation;
import io.sparkfit.score.ModelFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Computes a model's metrics on labelled Parquet: {@code evaluate --model DIR --data PATH [--output FILE]}.
 * Prints the metrics as JSON, laid out as a block of {@code metrics.json}. Also a {@code spark-submit --class} entry point.
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
    int code = Sparkfit.run(new EvaluateJob(), args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws IOException {
    // The model is read, and the settings checked against its task, before Spark starts.
    TrainedModel trained = ModelFiles.load(model, new Configuration(), "--model");
    ScoringConfig config = ConfigLoader.loadScoring(settings, trained.task(), trained.dropInvalid());
    SparkSession spark = SparkSessions.create(config.spark());
    try {
      Map<String, Object> metrics = Evaluation.run(spark, trained, data, config);
      String json = JSON.writeValueAsString(metrics);
      if (output != null) {
        Path path = new Path(output);
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        // Written beside the target and renamed, so a reader never sees half a file.
        Path partial = new Path(path.getParent(), "." + path.getName() + ".partial-" + spark.sparkContext().applicationId());
        try (OutputStream out = fs.create(partial, true)) {
          out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        fs.delete(path, false);
        if (!fs.rename(partial, path)) {
          fs.delete(partial, false);
          throw new IOException("Cannot move the metrics into place at " + output);
        }
      }
      System.out.println(json);
    } finally {
      SparkSessions.stop(spark);
    }
    return 0;
  }
}
