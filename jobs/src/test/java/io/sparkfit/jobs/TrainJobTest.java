package io.sparkfit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sparkfit train} command in-process: arguments, exit codes and messages. */
class TrainJobTest extends CommandLineTest {
  @TempDir Path tmp;

  private int train(String... extra) {
    List<String> args = new ArrayList<>();
    args.add("train");
    args.add(Repo.conf("quickstart.conf").toString());
    args.add("data.train=" + Repo.dataSamples().resolve("customers"));
    args.add("output.dir=" + tmp.resolve("model"));
    args.add("spark.master=local[2]");
    args.add("spark.conf.\"spark.ui.enabled\"=false");
    args.addAll(List.of(extra));
    return Sparkfit.run(new Sparkfit(), args.toArray(String[]::new));
  }

  @Test
  void trainsWithOverridesAndSaysWhereTheModelIs() {
    assertThat(train("training.epochs=2")).isEqualTo(0);
    assertThat(stdout()).isEqualTo("Model written to " + tmp.resolve("model/model.zip") + System.lineSeparator());
    assertThat(tmp.resolve("model/model.zip")).exists();
    assertThat(tmp.resolve("model/_SUCCESS")).exists();
  }

  @Test
  void badConfigExitsTwoWithOneLineBeforeSparkStarts() {
    assertThat(train("training.epochs=0")).isEqualTo(2);
    assertThat(stderr()).isEqualTo("sparkfit: error: Invalid training.epochs: 0 (must be > 0)" + System.lineSeparator());
    assertThat(train("trainig.epochs=3")).isEqualTo(2);
    assertThat(stderr()).endsWith("sparkfit: error: Unknown config key trainig.epochs; did you mean training.epochs?" + System.lineSeparator());
    assertThat(tmp.resolve("model")).doesNotExist();
  }

  @Test
  void pathsAndTheNetworkJsonAreRefusedBeforeSparkStarts() throws Exception {
    // Each with a master nobody answers at: had Spark been started first, that would be the error.
    String unreachable = "spark.master=spark://127.0.0.1:1";
    Path data = Repo.dataSamples().resolve("customers");
    assertThat(train("output.dir=" + data, "output.overwrite=true", unreachable)).isEqualTo(2);
    assertThat(stderr()).startsWith("sparkfit: error: output.dir " + data + " is the same as data.train " + data);
    err.reset();
    Files.createDirectories(tmp.resolve("model"));
    assertThat(train("output.overwrite=false", unreachable)).isEqualTo(2);
    assertThat(stderr()).startsWith("sparkfit: error: output.dir " + tmp.resolve("model") + " already exists");
    err.reset();
    Path foreign = Files.writeString(
        tmp.resolve("foreign.json"), "{\"confs\": [{\"layer\": {\"@class\": \"com.example.Exploit\"}}], \"backpropType\": \"Standard\"}");
    Path conf = Files.writeString(
        tmp.resolve("foreign.conf"),
        "data { train = \"" + data + "\", features = [age, income, visits_per_month, avg_basket, tenure_days], label = segment }\n"
            + "model { dl4j-configuration = \"" + foreign + "\" }\n");
    String[] args = {"train", conf.toString(), "output.dir=" + tmp.resolve("other"), unreachable};
    assertThat(Sparkfit.run(new Sparkfit(), args)).isEqualTo(2);
    assertThat(stderr()).startsWith("sparkfit: error: model.dl4j-configuration " + foreign + " names class com.example.Exploit");
    assertThat(tmp.resolve("other")).doesNotExist();
  }

  @Test
  void badDataExitsTwoAndWritesNothing() throws Exception {
    assertThat(train("data.label=tier")).isEqualTo(2);
    assertThat(stderr()).contains("sparkfit: error: column 'tier' (data.label) not found in data.train; its columns are [id, age,");
    assertThat(stderr().lines().filter(l -> l.startsWith("sparkfit: error:")).count()).isEqualTo(1);
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void missingConfigFileAndUsageErrorsExitTwo() {
    assertThat(Sparkfit.run(new Sparkfit(), new String[] {"train", tmp.resolve("nope.conf").toString()})).isEqualTo(2);
    assertThat(stderr()).isEqualTo("sparkfit: error: Config file not found: " + tmp.resolve("nope.conf") + System.lineSeparator());
    assertThat(Sparkfit.run(new Sparkfit(), new String[] {"train"})).isEqualTo(2);
    assertThat(stderr()).contains("Missing required parameter: 'CONFIG'").contains("Usage: sparkfit train");
    assertThat(Sparkfit.run(new Sparkfit(), new String[] {"fit"})).isEqualTo(2);
  }

  @Test
  void unexpectedFailuresEscapeWithTheirStackTrace() {
    IllegalStateException bug = new IllegalStateException("a bug");
    assertThat(Sparkfit.knownFailure(new RuntimeException("wrapped", bug))).isNull();
    io.sparkfit.DataValidationException data = new io.sparkfit.DataValidationException("bad row");
    // Spark wraps a task's exception; the known failure is found in the cause chain.
    assertThat(Sparkfit.knownFailure(new org.apache.spark.SparkException("Job aborted", data))).isSameAs(data);
    assertThat(data.exitCode()).isEqualTo(3);
  }
}
