package io.sparkfit.jobs;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.testing.SparkSubmitCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submits the shaded jar the way {@code spark-submit} does (see {@link SparkSubmitCommand}). Proves
 * the jar carries everything Sparkfit needs and that the exit codes reach the shell.
 */
@SparkTied
class TrainJobIT {
  @TempDir Path tmp;

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result submit(String... appArgs) throws Exception {
    ProcessBuilder pb = SparkSubmitCommand.create("local[2]", "io.sparkfit.jobs.TrainJob", List.of(), List.of(appArgs));
    Path stdout = tmp.resolve("stdout.txt");
    Path stderr = tmp.resolve("stderr.txt");
    pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("spark-submit finished").isTrue();
    return new Result(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
  }

  @Test
  void trainsThroughSparkSubmitWithTheShadedJar() throws Exception {
    Path out = tmp.resolve("model");
    Result r = submit("conf/quickstart.conf", "output.dir=" + out, "training.epochs=2");
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(0);
    assertThat(r.stdout()).contains("Model written to " + out.resolve("model.zip"));
    assertThat(out.resolve("model.zip")).exists();
    assertThat(out.resolve("metrics.json")).exists();
    assertThat(r.stderr()).contains("Epoch 2/2");
  }

  @Test
  void badConfigExitsTwoThroughSparkSubmit() throws Exception {
    Result r = submit("conf/quickstart.conf", "output.dir=" + tmp.resolve("model"), "training.batch-size-per-worker=0");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("sparkfit: error: Invalid training.batch-size-per-worker: 0 (must be > 0)");
    assertThat(tmp.resolve("model")).doesNotExist();
  }
}
