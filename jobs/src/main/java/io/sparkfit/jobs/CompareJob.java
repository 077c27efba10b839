package io.sparkfit.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkfit.GateException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.GuardConfig;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.guard.ChampionChallenger;
import io.sparkfit.guard.Comparison;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.output.OutputOverlap;
import io.sparkfit.run.GracefulStop;
import io.sparkfit.run.SparkSessions;
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
 * The champion/challenger gate: {@code compare --champion PATH --challenger PATH --data PATH
 * [--output FILE]}. Both models score the same labelled rows in one Spark pass; prints the result as
 * JSON (and writes it to {@code --output}), and exits 0 when the challenger passes the gate, 5 when
 * it does not. Either model path may be a promotion pointer. Also a {@code spark-submit --class}
 * entry point.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = "Compare a challenger model with the champion on the same labelled data; exit 5 unless the challenger passes the gate.")
public final class CompareJob implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--champion", required = true, paramLabel = "PATH", description = "The model in service: a training output, its model.zip, or a promotion pointer.")
  String champion;

  @Option(names = "--challenger", required = true, paramLabel = "PATH", description = "The new model: a training output or its model.zip.")
  String challenger;

  @Option(names = "--data", required = true, paramLabel = "PATH", description = "Labelled Parquet both models score (a holdout neither trained on).")
  String data;

  @Option(names = "--output", paramLabel = "FILE", description = "Also write the JSON result here (replaced if it exists).")
  String output;

  @Parameters(
      paramLabel = "key=value",
      description = "Settings: guard.promote.min-improvement=X, guard.promote.alpha=X, scoring.batch-size=N, metrics.auc-bins=N, "
          + "spark.master=..., spark.conf.\"key\"=...")
  List<String> settings = new ArrayList<>();

  public static void main(String[] args) {
    Sparkfit.exit(Sparkfit.run(new CompareJob(), args, StopSignals.install()));
  }

  @Override
  public Integer call() throws IOException {
    Configuration hadoop = new Configuration();
    if (output != null) {
      JsonFile.checkWritable(
          output,
          "compare",
          List.of(
              new OutputOverlap.Named("--data", data),
              new OutputOverlap.Named("--champion", champion),
              new OutputOverlap.Named("--challenger", challenger)));
    }
    // Both models are read, and the settings checked, before Spark starts.
    String championModel = ModelFiles.resolve(champion, hadoop, "--champion");
    String challengerModel = ModelFiles.resolve(challenger, hadoop, "--challenger");
    TrainedModel championTrained = ModelFiles.load(championModel, hadoop, "--champion");
    TrainedModel challengerTrained = ModelFiles.load(challengerModel, hadoop, "--challenger");
    List<String> gateSettings = settings.stream().filter(s -> s.startsWith("guard.")).toList();
    List<String> scoringSettings = settings.stream().filter(s -> !s.startsWith("guard.")).toList();
    GuardConfig.Promote gate = ConfigLoader.loadGate(gateSettings);
    ScoringConfig config = ConfigLoader.loadScoring(scoringSettings, championTrained.task(), championTrained.dropInvalid());
    GracefulStop stop = Sparkfit.stop();
    SparkSession spark = SparkSessions.create(config.spark());
    Comparison result;
    try (GracefulStop.JobCancelling jobs = stop.cancelSparkJobsOnStop(spark.sparkContext())) {
      try {
        result =
            ChampionChallenger.compare(
                spark,
                new ChampionChallenger.Named(championModel, championTrained),
                new ChampionChallenger.Named(challengerModel, challengerTrained),
                data,
                "--data",
                gate,
                config.batchSize(),
                config.metrics().aucBins());
      } catch (Exception e) {
        throw stop.explain(e, "before the comparison was complete; nothing was written");
      }
      String json = JSON.writeValueAsString(result);
      if (output != null) {
        JsonFile.write(spark, output, json);
      }
      System.out.println(json);
    } finally {
      SparkSessions.stop(spark);
    }
    if (!result.passed()) {
      throw GateException.notPromoted(result.line());
    }
    return 0;
  }
}
