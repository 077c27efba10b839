package io.sparkfit.jobs;

import io.sparkfit.SparkfitException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sparkfit} command: {@code train}, {@code evaluate} and {@code predict}.
 *
 * <p>Exit codes: 0 success; 2 bad config or input found before training; 3 data that failed
 * validation during the run; 1 anything else (the exception escapes {@code main} with its trace).
 */
@Command(
    name = "sparkfit",
    mixinStandardHelpOptions = true,
    versionProvider = Sparkfit.Version.class,
    description = "Deep-learning training as ordinary Spark jobs.",
    subcommands = {TrainJob.class, EvaluateJob.class, PredictJob.class})
public final class Sparkfit {
  static final int USAGE_ERROR = 2;

  public static void main(String[] args) {
    int code = run(new Sparkfit(), args);
    if (code != 0) {
      System.exit(code);
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
          err.println("sparkfit: error: " + known.getMessage());
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
        "built for Spark " + build.sparkVersion() + ", Deeplearning4j " + build.dl4jVersion()
      };
    }
  }
}
