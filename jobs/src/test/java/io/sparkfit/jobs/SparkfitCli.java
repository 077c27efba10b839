package io.sparkfit.jobs;

import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SparkSubmitCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs {@code bin/sparkfit} as a user does, in a process of its own, with the console and the log
 * file it really gets: what the README's main command prints is what these tests read.
 */
final class SparkfitCli {
  /** A line Sparkfit's own console logging prints (bin/log4j2.properties): time, level, class, message. */
  static final Pattern SPARKFIT_LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (INFO|WARN|ERROR) +[A-Za-z0-9]+: .*");

  private SparkfitCli() {}

  /** What a finished command printed, and how it ended. */
  record Result(int exit, String stdout, String stderr) {
    List<String> stderrLines() {
      return stderr.lines().toList();
    }

    /** The lines of stderr that are not Sparkfit's log lines: an error or stop line, or anything that should not be there. */
    List<String> unloggedLines() {
      return stderrLines().stream().filter(l -> !SPARKFIT_LOG_LINE.matcher(l).matches()).toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** Starts {@code bin/sparkfit args} from the repository's root; its output goes to files under {@code dir}. */
  static Process start(Path dir, String name, List<String> args) throws IOException {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>();
    command.add(Repo.root().resolve("bin/sparkfit").toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(Repo.root().toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    // This build's jar (bin/sparkfit runs the default build's unless told): spark-4 or spark-3.5.
    pb.environment().put("SPARKFIT_BUILD", System.getProperty("sparkfit.build.sources", "default"));
    pb.environment().put("SPARKFIT_LOG_DIR", dir.resolve("logs").toString());
    List<String> javaOptions = new ArrayList<>(List.of("-Xmx2g"));
    javaOptions.addAll(SparkSubmitCommand.jitOptions());
    pb.environment().put("SPARKFIT_JAVA_OPTS", String.join(" ", javaOptions));
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.redirectOutput(dir.resolve(name + ".out").toFile());
    pb.redirectError(dir.resolve(name + ".err").toFile());
    return pb.start();
  }

  /** What a process started by {@link #start} printed, once it has ended. */
  static Result finished(Process process, Path dir, String name) throws Exception {
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(name + ": bin/sparkfit did not end within 10 minutes");
    }
    return new Result(process.exitValue(), Files.readString(dir.resolve(name + ".out")), Files.readString(dir.resolve(name + ".err")));
  }

  /** Runs {@code bin/sparkfit args} to its end. */
  static Result run(Path dir, String name, List<String> args) throws Exception {
    return finished(start(dir, name, args), dir, name);
  }
}
