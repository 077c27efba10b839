package io.sparkfit.model;

import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import io.sparkfit.model.ModelArchive;
import io.sparkfit.model.TrainedModel;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Finds and reads a model: a training output directory or its {@code model.zip}, on any Hadoop file system. */
public final class ModelFiles {
  private ModelFiles() {}

  /**
   * Reads the model at {@code location} ({@code key} names the argument in messages). The archive is
   * checked entry by entry and never read with Java deserialization.
   */
  public static TrainedModel load(String location, Configuration hadoop, String key) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(hadoop);
      Path zip;
      try {
        zip = fs.getFileStatus(path).isDirectory() ? new Path(path, ModelArchive.FILE_NAME) : path;
      } catch (FileNotFoundException e) {
        throw InvalidInputException.of("%s %s does not exist", key, location);
      }
      InvalidInputException.check(
          fs.exists(zip), "%s %s has no %s: not a Sparkfit training output", key, location, ModelArchive.FILE_NAME);
      try (InputStream in = fs.open(zip)) {
        return ModelArchive.read(in, display(fs.makeQualified(zip)));
      }
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot read %s %s: %s", key, location, Failures.rootMessage(e));
    }
  }

  /** A path as users write it: plain for the local file system, else the full URI. */
  private static String display(Path path) {
    return "file".equals(path.toUri().getScheme()) ? path.toUri().getPath() : path.toString();
  }

  /** Reads a text file (a network configuration JSON) at {@code location}, on any Hadoop file system. */
  public static String readText(String location, Configuration hadoop, String key) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(hadoop);
      InvalidInputException.check(fs.exists(path) && fs.getFileStatus(path).isFile(), "%s %s does not exist or is not a file", key, location);
      try (InputStream in = fs.open(path)) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot read %s %s: %s", key, location, Failures.rootMessage(e));
    }
  }
}
