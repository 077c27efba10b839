package io.sparkfit.jobs;

import io.sparkfit.SparkfitException;
import io.sparkfit.StoppedBySignal;
import io.sparkfit.run.GracefulStop;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sparkfit} command: {@code train}, {@code evaluate}, {@code predict}, {@code compare}
 * and {@code promote}.
 *
 * <p>Exit codes: 0 success; 2 bad config or input found before training (or an output in use by
 * another run); 3 data that failed validation during the run; 4 the drift gate stopped training
 * ({@code guard.drift.on-violation = fail}); 5 the challenger did not pass the champion/challenger
 * gate and was not promoted; 143 and 130 stopped by SIGTERM and SIGINT at a safe point; 1 anything
 * else (the exception escapes {@code main} with its trace).
 */
@Command(
    name = "sparkfit",
    mixinStandardHelpOptions = true,
    versionProvider = Sparkfit.Version.class,
    description = "Deep-learning training as ordinary Spark jobs.",
    subcommands = {TrainJob.class, EvaluateJob.class, PredictJob.class, CompareJob.class, PromoteJob.class})
public final class Sparkfit {
  static final int USAGE_ERROR = 2;
  /** Set by {@code bin/sparkfit}: where Spark's and DL4J's own warnings and errors go instead of the console. */
  static final String LOG_FILE_PROPERTY = "sparkfit.log.file";
  /** What stops the command that runs: the signals' once {@link #main} has installed them. */
  private static volatile GracefulStop stop = GracefulStop.none();

  public static void main(String[] args) {
    exit(run(new Sparkfit(), args, StopSignals.install()));
  }

  /** Ends a job's {@code main}: returns on success (never {@code System.exit(0)}, which breaks YARN cluster mode). */
  static void exit(int code) {
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The stop of the command that runs. */
  static GracefulStop stop() {
    return stop;
  }

  /** Runs a command that signals stop gracefully: {@code main}'s way. */
  static int run(Object command, String[] args, GracefulStop signals) {
    stop = signals;
    try {
      return run(command, args);
    } finally {
      stop = GracefulStop.none();
    }
  }

  /**
   * Runs a command. Known failures print one line and return their exit code; anything unexpected
   * escapes, so the JVM exits with 1 and the stack trace.
   */
  static int run(Object command, String[] args) {
    CommandLine cli = new CommandLine(command);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          SparkfitException known = knownFailure(e);
          if (known == null) {
            throw e;
          }
          PrintWriter err = commandLine.getErr();
          err.println(known instanceof StoppedBySignal ? "sparkfit: " + known.getMessage() : "sparkfit: error: " + known.getMessage() + logHint());
          err.flush();
          return known.exitCode();
        });
    cli.setParameterExceptionHandler(
        (e, args1) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("sparkfit: error: " + e.getMessage());
          e.getCommandLine().usage(err);
          err.flush();
          return USAGE_ERROR;
        });
    return cli.execute(args);
  }

  /** Where Spark's own warnings and errors went, when {@code bin/sparkfit} sent them to a file and there are some. */
  static String logHint() {
    String file = System.getProperty(LOG_FILE_PROPERTY);
    if (file == null || file.isBlank()) {
      return "";
    }
    try {
      Path log = Path.of(file);
      return Files.isRegularFile(log) && Files.size(log) > 0 ? " (Spark's log: " + log + ")" : "";
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }

  /** A failure we can explain in a line, possibly wrapped by Spark when it was thrown in a task. */
  static SparkfitException knownFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SparkfitException known) {
        return known;
      }
    }
    return null;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      io.sparkfit.run.BuildInfo build = io.sparkfit.run.BuildInfo.load();
      return new String[] {
        "sparkfit " + build.sparkfitVersion() + build.gitCommit().map(c -> " (" + c + ")").orElse(""),
        "built for Spark " + build.sparkVersion() + " (build " + build.build() + "), Deeplearning4j " + build.dl4jVersion()
      };
    }
  }
}
