package io.sparkfit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.testing.Repo;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submits the shaded jar the way {@code spark-submit} does: Spark's own {@code SparkSubmit} on a
 * classpath of Spark's jars only (no DL4J, ND4J or Sparkfit classes), with the jar as the application.
 * Proves the jar carries everything Sparkfit needs and that the exit codes reach the shell.
 */
class TrainJobIT {
  @TempDir Path tmp;

  private static final List<String> NOT_SPARK =
      List.of("/org/deeplearning4j/", "/org/nd4j/", "/org/bytedeco/", "/org/datavec/", "/com/typesafe/config/", "/info/picocli/");

  private static Path jobsTarget() {
    return Repo.root().resolve("jobs/target");
  }

  private static String sparkClasspath() throws IOException {
    String full = Files.readString(jobsTarget().resolve("classpath.txt")).trim();
    return Arrays.stream(full.split(File.pathSeparator))
        .filter(jar -> NOT_SPARK.stream().noneMatch(jar::contains))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static Path shadedJar() throws IOException {
    try (var files = Files.list(jobsTarget())) {
      return files
          .filter(f -> f.getFileName().toString().matches("sparkfit-jobs-.*\\.jar") && !f.getFileName().toString().startsWith("original-"))
          .findFirst()
          .orElseThrow();
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result submit(String... appArgs) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.addAll(Arrays.asList(System.getProperty("sparkfit.java17.opens", "").split(" ")));
    cmd.removeIf(String::isBlank);
    cmd.addAll(List.of("-cp", sparkClasspath(), "org.apache.spark.deploy.SparkSubmit"));
    cmd.addAll(List.of("--class", "io.sparkfit.jobs.TrainJob", "--master", "local[2]", "--conf", "spark.ui.enabled=false"));
    cmd.add(shadedJar().toString());
    cmd.addAll(List.of(appArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(Repo.root().toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
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
