package io.sparkfit.jobs;

import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.model.ModelArchive;
import io.sparkfit.run.GracefulStop;
import io.sparkfit.run.SparkSessions;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.run.TrainingSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Trains a model: {@code train CONFIG [--resume] [key=value ...]}. Also a {@code spark-submit --class} entry point.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a model on Parquet data as a Spark job.")
public final class TrainJob implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONFIG", description = "HOCON job config file.")
  Path config;

  @Option(
      names = "--resume",
      description = "Continue from the last complete checkpoint of an earlier run of this config, which died.")
  boolean resume;

  @Option(
      names = "--resume-if-present",
      description = "Resume if a checkpoint of this config exists, else start afresh: for scheduler retries.")
  boolean resumeIfPresent;

  @Parameters(
      index = "1..*",
      paramLabel = "key=value",
      description = "Overrides of config keys, e.g. training.epochs=3 output.dir=/tmp/x.")
  List<String> overrides = new ArrayList<>();

  public static void main(String[] args) {
    Sparkfit.exit(Sparkfit.run(new TrainJob(), args, StopSignals.install()));
  }

  @Override
  public Integer call() {
    // Everything about the config is checked before Spark starts: a typo costs no cluster time.
    LoadedConfig loaded = ConfigLoader.load(config, overrides);
    // And its paths: an output over an input or an existing one, a network naming foreign classes.
    TrainingRun.checkBeforeSpark(loaded);
    GracefulStop stop = Sparkfit.stop();
    stop.allowEpochGrace(loaded.config().training().stopGraceSeconds());
    SparkSession spark = SparkSessions.create(loaded.config().spark());
    try {
      TrainingRun.Resume mode =
          resume ? TrainingRun.Resume.REQUIRED : resumeIfPresent ? TrainingRun.Resume.IF_PRESENT : TrainingRun.Resume.NEVER;
      TrainingSummary summary = TrainingRun.run(spark, loaded, mode, stop);
      System.out.println("Model written to " + summary.outputDir() + "/" + ModelArchive.FILE_NAME);
    } finally {
      SparkSessions.stop(spark);
    }
    return 0;
  }
}
