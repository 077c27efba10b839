package io.sparkfit.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.Task;
import io.sparkfit.guard.Promotion;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.run.SparkSessions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Promotes a model: {@code promote --model PATH --current POINTER [--verdict FILE]} points the
 * promotion pointer at the model in one rename, so every reader of {@code POINTER} moves from the
 * old model to the new with no moment in between. With {@code --verdict} (compare's JSON), only a
 * challenger that passed, and is this model, is promoted; otherwise it exits 5 and the pointer stays.
 * Starts Spark only for its Hadoop configuration (and because YARN's cluster mode expects it). Also
 * a {@code spark-submit --class} entry point.
 */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = "Point the promotion pointer at a model, atomically.")
public final class PromoteJob implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "The training output to promote.")
  String model;

  @Option(names = "--current", required = true, paramLabel = "POINTER", description = "The promotion pointer, e.g. MODELS/current (created if absent).")
  String current;

  @Option(names = "--verdict", paramLabel = "FILE", description = "compare's JSON result: promote only if the gate passed for this model.")
  String verdict;

  @Parameters(paramLabel = "key=value", description = "Settings: spark.master=..., spark.conf.\"key\"=...")
  List<String> settings = new ArrayList<>();

  public static void main(String[] args) {
    Sparkfit.exit(Sparkfit.run(new PromoteJob(), args, StopSignals.install()));
  }

  @Override
  public Integer call() throws IOException {
    Configuration local = new Configuration();
    // A model that cannot be read is never promoted.
    ModelFiles.load(model, local, "--model");
    Promotion.pointerAt(current, local, "--current");
    var spark = ConfigLoader.loadScoring(settings, Task.CLASSIFICATION, false).spark();
    SparkSession session = SparkSessions.create(spark);
    try {
      Configuration hadoop = session.sparkContext().hadoopConfiguration();
      String reason = "promoted by hand (no --verdict)";
      Promotion.Expected expected = Promotion.Expected.anything();
      if (verdict != null) {
        JsonNode result = readVerdict(hadoop);
        String challenger = result.path("challenger").path("path").asText("");
        String champion = result.path("champion").path("path").asText("");
        InvalidInputException.check(
            !challenger.isEmpty() && !champion.isEmpty() && result.path("passed").isBoolean(),
            "--verdict %s is not compare's result (it names no champion, challenger and verdict)",
            verdict);
        InvalidInputException.check(
            Promotion.sameModel(ModelFiles.resolve(challenger, hadoop, "--verdict"), ModelFiles.resolve(model, hadoop, "--model"), hadoop),
            "--verdict %s is about the challenger %s, not --model %s; not promoted",
            verdict,
            challenger,
            model);
        expected = Promotion.Expected.champion(champion);
        if (!result.path("passed").asBoolean(false)) {
          throw io.sparkfit.GateException.notPromoted(result.path("verdict").asText("the gate did not pass") + "; --current " + current + " unchanged");
        }
        reason = result.path("verdict").asText();
      }
      Promotion.promote(current, model, reason, expected, hadoop, "--current");
    } finally {
      SparkSessions.stop(session);
    }
    System.out.println(current + " now names " + model);
    return 0;
  }

  private JsonNode readVerdict(Configuration hadoop) throws IOException {
    Path path = new Path(verdict);
    try (InputStream in = path.getFileSystem(hadoop).open(path)) {
      JsonNode result = JSON.readTree(in);
      InvalidInputException.check(result != null && result.isObject(), "--verdict %s is not compare's JSON result", verdict);
      return result;
    } catch (java.io.FileNotFoundException e) {
      throw InvalidInputException.of("--verdict %s does not exist or is not a file", verdict);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw InvalidInputException.of("--verdict %s is not JSON: %s", verdict, io.sparkfit.Failures.rootMessage(e));
    }
  }
}
