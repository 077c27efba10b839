package io.sparkfit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import io.sparkfit.output.AtomicReplace;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A promotion pointer: a small JSON file ({@code current}) beside the versioned models that names the
 * one in service. Promotion replaces it in one rename ({@link AtomicReplace}); the models it names are
 * never written again, so a reader that follows it always finds one whole model. Every job that
 * takes a model path accepts a pointer there.
 *
 * @param model the training output (or {@code model.zip}) in service
 * @param previous the one it replaced, if any
 * @param promoted when, as an ISO-8601 instant
 * @param reason why: the gate's verdict, or the first model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelPointer(
    @JsonProperty("sparkfit-pointer") int version, String model, String previous, String promoted, String reason) {
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Larger files are not pointers: a model.zip is never read as one. */
  private static final long MAX_BYTES = 64 * 1024;

  public ModelPointer {
    InvalidInputException.check(version == VERSION, "promotion pointer version %s is not one this Sparkfit reads (%s)", version, VERSION);
    InvalidInputException.check(model != null && !model.isBlank(), "promotion pointer names no model");
  }

  public static ModelPointer to(String model, Optional<String> previous, String promoted, String reason) {
    return new ModelPointer(VERSION, model, previous.orElse(null), promoted, reason);
  }

  /** The pointer at {@code location}, when it is one (a small JSON file); empty for anything else, or nothing there. */
  public static Optional<ModelPointer> read(String location, Configuration hadoop, String key) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.exists(path) || !fs.getFileStatus(path).isFile() || fs.getFileStatus(path).getLen() > MAX_BYTES) {
        return Optional.empty();
      }
      byte[] bytes;
      try (InputStream in = fs.open(path)) {
        bytes = in.readAllBytes();
      }
      if (bytes.length == 0 || bytes[0] != '{') {
        return Optional.empty();
      }
      try {
        return Optional.of(JSON.readValue(bytes, ModelPointer.class));
      } catch (IOException e) {
        throw InvalidInputException.of("%s %s is not a promotion pointer: %s", key, location, Failures.rootMessage(e));
      }
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot read %s %s: %s", key, location, Failures.rootMessage(e));
    }
  }

  /** Points {@code location} at this pointer's model, replacing whatever pointer was there in one rename. */
  public void writeTo(String location, Configuration hadoop) throws IOException {
    Path path = new Path(location);
    AtomicReplace.write(path.getFileSystem(hadoop), path, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
  }
}
