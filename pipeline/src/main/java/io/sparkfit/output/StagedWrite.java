package io.sparkfit.output;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Sparkfit's one way of writing anything a reader may look at while it is written: the content goes
 * to a hidden sibling of the target ({@code .NAME.sparkfit-staging-ID}), and only complete content is
 * renamed into place. An existing target is first moved aside to another hidden sibling and removed
 * once the new one is in place, so a reader sees the old content or the new, never a mixture, and a
 * run that dies leaves only hidden siblings behind. The training output, every checkpoint, the
 * predict job's Parquet and the evaluate job's JSON file are all written this way.
 *
 * <p>Works on local paths and any Hadoop file system whose rename is atomic (HDFS, local); on object
 * stores, where a rename is a copy, the final step is not atomic. Not thread-safe.
 */
public final class StagedWrite {
  private final FileSystem fs;
  private final Path target;
  private final Path staging;

  private StagedWrite(FileSystem fs, Path target, String id) {
    this.fs = fs;
    this.target = target;
    this.staging = new Path(target.getParent(), "." + target.getName() + ".sparkfit-staging-" + id);
  }

  /**
   * A staged write of {@code target}; {@code id} tells this writer's staging sibling from any other
   * writer's (a Spark application id, an epoch number). Nothing is created yet.
   */
  public static StagedWrite of(FileSystem fs, Path target, String id) {
    return new StagedWrite(fs, fs.makeQualified(target), id);
  }

  /** The file system of {@code location}, without {@code .crc} side files on local paths. */
  public static FileSystem fileSystem(Path location, Configuration hadoop) throws IOException {
    FileSystem fs = location.getFileSystem(hadoop);
    if (fs instanceof LocalFileSystem local) {
      local.setWriteChecksum(false);
    }
    return fs;
  }

  /** A path as users wrote it: a plain path for the local file system, else the full URI. */
  public static String display(Path path) {
    return "file".equals(path.toUri().getScheme()) ? path.toUri().getPath() : path.toString();
  }

  public Path target() {
    return target;
  }

  /** Where the content is staged: a file, or a directory for writers that make their own files in it (Spark's). */
  public Path staging() {
    return staging;
  }

  /** Opens the staged content as one file (when the target is a file). */
  public OutputStream create() throws IOException {
    return fs.create(staging, true);
  }

  /** Opens a file inside the staged directory (when the target is a directory). */
  public OutputStream create(String name) throws IOException {
    return fs.create(new Path(staging, name), true);
  }

  /** Whether the target exists now. */
  public boolean targetExists() throws IOException {
    return fs.exists(target);
  }

  /** Moves the staged content into place, replacing whatever is there. */
  public void commit() throws IOException {
    Path previous = null;
    if (fs.exists(target)) {
      previous = new Path(target.getParent(), "." + target.getName() + ".sparkfit-previous-" + staging.getName());
      rename(target, previous);
    }
    rename(staging, target);
    if (previous != null) {
      fs.delete(previous, true);
    }
  }

  /** Removes whatever was staged; best effort, since the staged sibling is hidden and named after its writer. */
  public void abort() {
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      // Nothing a reader sees depends on it.
    }
  }

  /**
   * Runs {@code write} against this staging and commits, or aborts when it fails: the whole life of
   * a staged write in one call.
   */
  public void write(Writer write) throws IOException {
    try {
      fs.delete(staging, true);
      write.writeTo(this);
      commit();
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  /** Writes the content of a {@link StagedWrite}. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(StagedWrite staged) throws IOException;
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("Cannot rename " + from + " to " + to);
    }
  }
}
