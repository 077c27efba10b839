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
    String resolved = resolve(location, hadoop, key);
    try (InputStream in = openArchive(resolved, hadoop, key)) {
      return ModelArchive.read(in, archiveName(resolved, hadoop));
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot read %s %s: %s", key, location, Failures.rootMessage(e));
    }
  }

  /**
   * The provenance inside the model at {@code location}, without reading its network: for the drift
   * check, which needs only the data profile. Empty for a model saved without one.
   */
  public static java.util.Optional<Provenance> provenance(String location, Configuration hadoop, String key) {
    String resolved = resolve(location, hadoop, key);
    try (InputStream in = openArchive(resolved, hadoop, key)) {
      return ModelArchive.readProvenance(in, archiveName(resolved, hadoop));
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot read %s %s: %s", key, location, Failures.rootMessage(e));
    }
  }

  /** The model {@code location} names: itself, or the model a promotion pointer there names. */
  public static String resolve(String location, Configuration hadoop, String key) {
    return ModelPointer.read(location, hadoop, key).map(ModelPointer::model).orElse(location);
  }

  private static String archiveName(String location, Configuration hadoop) throws IOException {
    Path path = new Path(location);
    FileSystem fs = path.getFileSystem(hadoop);
    Path zip = fs.getFileStatus(path).isDirectory() ? new Path(path, ModelArchive.FILE_NAME) : path;
    return display(fs.makeQualified(zip));
  }

  private static InputStream openArchive(String location, Configuration hadoop, String key) {
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
      return fs.open(zip);
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
