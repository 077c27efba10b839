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
    Path classpath = builtFile("sparkfit.jobs.classpath", "jobs/target/classpath.txt");
    try {
      return Arrays.stream(Files.readString(classpath).trim().split(File.pathSeparator))
          .filter(jar -> NOT_SPARK.stream().noneMatch(jar::contains))
          .map(Path::of)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(classpath + " is missing: run mvn package first", e);
    }
  }

  /** This build's shaded job jar (its classifier names the build), as failsafe passes it. */
  public static Path shadedJar() {
    // Outside failsafe (bench/cluster): the default build's jar, named by its classifier.
    Path jar = builtFile("sparkfit.jobs.jar", "jobs/target/sparkfit-jobs-0.1.0-SNAPSHOT-spark4.2_2.13.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("No shaded jar " + jar + ": run mvn package first");
    }
    return jar;
  }

  /** A file of the jobs module's build: where failsafe says (each build has its own folder), or the default build's. */
  private static Path builtFile(String property, String defaultPath) {
    String configured = System.getProperty(property);
    return configured != null ? Path.of(configured) : Repo.root().resolve(defaultPath);
  }

  /**
   * Points a submission at a Hadoop cluster's client config, as {@code spark-class} does: the folder
   * goes first on the classpath (where Hadoop's {@code Configuration} finds {@code yarn-site.xml})
   * and into {@code HADOOP_CONF_DIR} (which Spark ships to the YARN containers).
   */
  public static ProcessBuilder withHadoopConf(ProcessBuilder submission, Path confDir) {
    List<String> cmd = submission.command();
    int classpath = cmd.indexOf("-cp") + 1;
    cmd.set(classpath, confDir + File.pathSeparator + cmd.get(classpath));
    submission.environment().put("HADOOP_CONF_DIR", confDir.toString());
    return submission;
  }

  /** Spark's Java 17 {@code --add-opens} list, as surefire and failsafe pass it in {@code sparkfit.java17.opens}. */
  public static List<String> java17Opens() {
    return options("sparkfit.java17.opens");
  }

  /** The JVM options a build passes to the tests in system property {@code property}, space-separated. */
  private static List<String> options(String property) {
    List<String> options = new ArrayList<>(Arrays.asList(System.getProperty(property, "").split(" ")));
    options.removeIf(String::isBlank);
    return options;
  }

  /**
   * The JIT options of the test JVMs ({@code sparkfit.test.jit}, C1 only: see the parent pom), for
   * the JVMs a test starts itself.
   */
  public static List<String> jitOptions() {
    return options("sparkfit.test.jit");
  }

  /**
   * A process that submits {@code jobClass} from the shaded jar to {@code master}, with the given
   * Spark settings and application arguments, from the repository's root.
   */
  public static ProcessBuilder create(String master, String jobClass, List<String> sparkConf, List<String> appArgs) {
    return create(List.of("--master", master), jobClass, sparkConf, appArgs);
  }

  /**
   * As {@link #create(String, String, List, List)}, with spark-submit's own options in {@code submit}:
   * {@code --master yarn --deploy-mode cluster --queue q --files f}.
   */
  public static ProcessBuilder create(List<String> submit, String jobClass, List<String> sparkConf, List<String> appArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.addAll(java17Opens());
    cmd.addAll(jitOptions());
    cmd.addAll(List.of("-cp", sparkJars().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator))));
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(submit);
    cmd.addAll(List.of("--class", jobClass, "--conf", "spark.ui.enabled=false"));
    List<String> settings = new ArrayList<>(sparkConf);
    if (!jitOptions().isEmpty()) {
      // The JVMs Spark starts: executors, YARN's application master, a cluster-mode driver.
      String jit = String.join(" ", jitOptions());
      for (String key : List.of("spark.executor.extraJavaOptions", "spark.yarn.am.extraJavaOptions", "spark.driver.extraJavaOptions")) {
        if (settings.stream().noneMatch(s -> s.startsWith(key + "="))) {
          settings.add(key + "=" + jit);
        }
      }
    }
    for (String setting : settings) {
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
