package io.sparkfit.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the jobs the way {@code spark-submit} does, without a Spark distribution: Spark's own
 * {@code SparkSubmit} on a classpath of Spark's jars only (no DL4J, ND4J or Sparkfit classes), with
 * the shaded jar as the application. Needs {@code jobs/target} built ({@code mvn package}).
 */
public final class SparkSubmitCommand {
  private static final List<String> NOT_SPARK =
      List.of("/org/deeplearning4j/", "/org/nd4j/", "/org/bytedeco/", "/org/datavec/", "/com/typesafe/config/", "/info/picocli/");

  private SparkSubmitCommand() {}

  /** The jars a Spark installation would hold: the jobs' runtime classpath minus what the shaded jar carries. */
  public static List<Path> sparkJars() {
    try {
      String full = Files.readString(Repo.root().resolve("jobs/target/classpath.txt")).trim();
      return Arrays.stream(full.split(File.pathSeparator))
          .filter(jar -> NOT_SPARK.stream().noneMatch(jar::contains))
          .map(Path::of)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("jobs/target/classpath.txt is missing: run mvn package first", e);
    }
  }

  public static Path shadedJar() {
    try (var files = Files.list(Repo.root().resolve("jobs/target"))) {
      return files
          .filter(f -> f.getFileName().toString().matches("sparkfit-jobs-.*\\.jar") && !f.getFileName().toString().startsWith("original-"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("No shaded jar in jobs/target: run mvn package first"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Spark's Java 17 {@code --add-opens} list, as surefire and failsafe pass it in {@code sparkfit.java17.opens}. */
  public static List<String> java17Opens() {
    List<String> opens = new ArrayList<>(Arrays.asList(System.getProperty("sparkfit.java17.opens", "").split(" ")));
    opens.removeIf(String::isBlank);
    return opens;
  }

  /**
   * A process that submits {@code jobClass} from the shaded jar to {@code master}, with the given
   * Spark settings and application arguments, from the repository's root.
   */
  public static ProcessBuilder create(String master, String jobClass, List<String> sparkConf, List<String> appArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.addAll(java17Opens());
    cmd.addAll(List.of("-cp", sparkJars().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator))));
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(List.of("--class", jobClass, "--master", master, "--conf", "spark.ui.enabled=false"));
    for (String setting : sparkConf) {
      cmd.addAll(List.of("--conf", setting));
    }
    cmd.add(shadedJar().toString());
    cmd.addAll(appArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(Repo.root().toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    return pb;
  }
}
