package io.sparkfit.output;

import io.sparkfit.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A job's output directory, written as a {@link StagedWrite}: files go to a hidden staging sibling,
 * and only a complete output is renamed into place, with a {@code _SUCCESS} marker. A run that
 * fails leaves the previous output untouched. An existing output is replaced only when allowed,
 * which is checked before any work starts.
 */
public final class OutputDirectory {
  public static final String SUCCESS_MARKER = "_SUCCESS";

  private final StagedWrite staged;
  private final boolean overwrite;
  private final String key;

  private OutputDirectory(StagedWrite staged, boolean overwrite, String key) {
    this.staged = staged;
    this.overwrite = overwrite;
    this.key = key;
  }

  /**
   * Checks that the output may be written (an existing one only with {@code overwrite}) before any
   * work starts; nothing is created until {@link #write}.
   *
   * @param runId distinguishes this run's staging directory from any other's
   */
  public static OutputDirectory prepare(String dir, boolean overwrite, Configuration hadoop, String runId) {
    return prepare(dir, overwrite, hadoop, runId, "output.dir", "set output.overwrite=true to replace it");
  }

  /**
   * As {@link #prepare(String, boolean, Configuration, String)}, for an output named by {@code key}
   * in messages, with {@code overwriteHint} saying how to replace an existing one.
   */
  public static OutputDirectory prepare(
      String dir, boolean overwrite, Configuration hadoop, String runId, String key, String overwriteHint) {
    try {
      Path path = new Path(dir);
      FileSystem fs = StagedWrite.fileSystem(path, hadoop);
      Path target = fs.makeQualified(path);
      boolean exists = fs.exists(target);
      InvalidInputException.check(overwrite || !exists, "%s %s already exists (%s)", key, dir, overwriteHint);
      InvalidInputException.check(
          !exists || fs.getFileStatus(target).isDirectory(), "%s %s exists and is a file, not a directory", key, dir);
      return new OutputDirectory(StagedWrite.of(fs, target, runId), overwrite, key);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check " + key + " " + dir, e);
    }
  }

  /** Marks the output complete and moves it into place, replacing an older one if allowed. */
  private void commit() throws IOException {
    staged.create(SUCCESS_MARKER).close();
    InvalidInputException.check(
        overwrite || !staged.targetExists(), "%s %s appeared during the run; not replacing it", key, location());
    staged.commit();
  }

  /**
   * Writes the whole output with {@code write} and commits it, or removes what was staged when
   * anything fails; I/O failures name the output.
   */
  public void write(StagedWrite.Writer write) {
    try {
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
}
