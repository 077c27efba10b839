package io.sparkfit.run;

import io.sparkfit.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A job's output directory, written atomically: files go to a hidden staging sibling, and only a
 * complete output is renamed into place, with a {@code _SUCCESS} marker. A run that fails leaves the
 * previous output untouched. Works on local paths and any Hadoop file system.
 */
public final class OutputDirectory {
  public static final String SUCCESS_MARKER = "_SUCCESS";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;

  private OutputDirectory(FileSystem fs, Path target, Path staging, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.overwrite = overwrite;
  }

  /**
   * Checks that the output may be written (an existing one only with {@code overwrite}) before any
   * work starts; nothing is created until {@link #create}.
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
      FileSystem fs = path.getFileSystem(hadoop);
      if (fs instanceof LocalFileSystem local) {
        // No .crc side files next to the model.
        local.setWriteChecksum(false);
      }
      Path target = fs.makeQualified(path);
      InvalidInputException.check(
          overwrite || !fs.exists(target),
          "%s %s already exists (%s)",
          key,
          dir,
          overwriteHint);
      InvalidInputException.check(
          !fs.exists(target) || fs.getFileStatus(target).isDirectory(),
          "%s %s exists and is a file, not a directory",
          key,
          dir);
      Path staging = new Path(target.getParent(), "." + target.getName() + ".sparkfit-staging-" + runId);
      return new OutputDirectory(fs, target, staging, overwrite);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check " + key + " " + dir, e);
    }
  }

  /** The staging directory, for writers that make their own files in it (Spark's). Not created yet. */
  public String stagingLocation() {
    return staging.toString();
  }

  /** Opens a file in the staging directory. */
  public OutputStream create(String name) throws IOException {
    return fs.create(new Path(staging, name), true);
  }

  /** Marks the output complete and moves it into place, replacing an older one if allowed. */
  public void commit() throws IOException {
    fs.create(new Path(staging, SUCCESS_MARKER), true).close();
    Path previous = null;
    if (fs.exists(target)) {
      InvalidInputException.check(overwrite, "output.dir %s appeared during the run; not replacing it", target);
      previous = new Path(staging.getParent(), "." + target.getName() + ".sparkfit-previous-" + staging.getName());
      rename(target, previous);
    }
    rename(staging, target);
    if (previous != null) {
      fs.delete(previous, true);
    }
  }

  /** Removes whatever a failed run staged. */
  public void abort() {
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      // Best effort: the staging directory is hidden and named after the run.
    }
  }

  /** Where the output goes: a plain path for the local file system, else the full URI. */
  public String location() {
    return "file".equals(target.toUri().getScheme()) ? target.toUri().getPath() : target.toString();
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("Cannot rename " + from + " to " + to);
    }
  }
}
