package io.sparkfit.output;

import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A job's output directory, held by one run and written as a {@link StagedWrite}: files go to a
 * hidden staging sibling, and only a complete output is renamed into place, with a {@code _SUCCESS}
 * marker. A run that fails leaves the previous output untouched. An existing output is replaced
 * only when allowed, which is checked before any work starts. From {@link #claim} to {@link #close()}
 * the run holds the output's {@link OutputLease}, so no other run writes it meanwhile; the commit
 * happens only while the lease is still this run's.
 */
public final class OutputDirectory implements AutoCloseable {
  public static final String SUCCESS_MARKER = "_SUCCESS";

  private final StagedWrite staged;
  private final boolean overwrite;
  private final String key;
  private final OutputLease lease;

  private OutputDirectory(StagedWrite staged, boolean overwrite, String key, OutputLease lease) {
    this.staged = staged;
    this.overwrite = overwrite;
    this.key = key;
    this.lease = lease;
  }

  /**
   * Checks that the output may be written (an existing one only with {@code overwrite}) and takes its
   * lease, before any work starts; nothing else is created until {@link #write}.
   *
   * @param key names the output in messages: {@code output.dir}, {@code --output}
   * @param overwriteHint says how to replace an existing output
   * @param runId distinguishes this run's staging directory from any other's, and names it in the lease
   */
  public static OutputDirectory claim(
      String dir, boolean overwrite, Configuration hadoop, String runId, String key, String overwriteHint, Duration leaseTimeout) {
    checkReplaceable(dir, overwrite, hadoop, key, overwriteHint);
    Path target;
    FileSystem fs;
    try {
      Path path = new Path(dir);
      fs = StagedWrite.fileSystem(path, hadoop);
      target = fs.makeQualified(path);
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot reach %s %s: %s", key, dir, Failures.rootMessage(e));
    }
    OutputLease lease = OutputLease.acquire(fs, target, key, runId, leaseTimeout);
    return new OutputDirectory(StagedWrite.of(fs, target, runId), overwrite, key, lease);
  }

  /**
   * What {@link #claim} checks first, reading only: {@code dir} may be written when it does not
   * exist, or exists as a directory and {@code overwrite} is on. A job calls it before Spark starts too,
   * so a run that would be refused costs no cluster time.
   */
  public static void checkReplaceable(String dir, boolean overwrite, Configuration hadoop, String key, String overwriteHint) {
    try {
      Path path = new Path(dir);
      FileSystem fs = StagedWrite.fileSystem(path, hadoop);
      Path target = fs.makeQualified(path);
      boolean exists = fs.exists(target);
      InvalidInputException.check(overwrite || !exists, "%s %s already exists (%s)", key, dir, overwriteHint);
      InvalidInputException.check(
          !exists || fs.getFileStatus(target).isDirectory(), "%s %s exists and is a file, not a directory", key, dir);
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot reach %s %s: %s", key, dir, Failures.rootMessage(e));
    }
  }

  /** Fails when this run no longer holds the output's lease. */
  public void checkLease() {
    lease.check();
  }

  /** Marks the output complete and moves it into place, replacing an older one if allowed. */
  private void commit() throws IOException {
    staged.create(SUCCESS_MARKER).close();
    InvalidInputException.check(
        overwrite || !staged.targetExists(), "%s %s appeared during the run; not replacing it", key, location());
    lease.check();
    staged.commit();
  }

  /**
   * Writes the whole output with {@code write} and commits it, or removes what was staged when
   * anything fails; I/O failures name the output.
   */
  public void write(StagedWrite.Writer write) {
    try {
      lease.check();
      write.writeTo(staged);
      commit();
    } catch (IOException | RuntimeException e) {
      staged.abort();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("Cannot write " + key + " " + location(), io);
      }
      throw (RuntimeException) e;
    }
  }

  /** Where the output goes: a plain path for the local file system, else the full URI. */
  public String location() {
    return StagedWrite.display(staged.target());
  }

  /** Gives up the lease (the output, written or not, is no longer this run's). */
  @Override
  public void close() {
    lease.close();
  }
}
