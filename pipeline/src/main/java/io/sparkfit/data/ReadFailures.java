package io.sparkfit.data;

import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import io.sparkfit.SparkfitException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Failures of Spark reading a job's inputs, as one line that names the file: a corrupt or truncated
 * Parquet file surfaces deep in a task's causes, wrapped as "Job aborted due to stage failure" or
 * "Exception thrown in awaitResult:", with the file's URI somewhere in the chain.
 */
public final class ReadFailures {
  /** A file URI in a message: Hadoop's schemes, up to whitespace or punctuation that ends a sentence. */
  private static final Pattern FILE_URI =
      Pattern.compile("\\b((?:file|hdfs|viewfs|webhdfs|swebhdfs|s3a?|gs|abfss?|wasbs?|ofs|o3fs|oss|cosn|obs):/[^\\s;,'\"\\]\\)}]*[^\\s;,'\"\\]\\)}.:])");

  private ReadFailures() {}

  /**
   * {@code failure} as an {@link InvalidInputException} naming the file it could not read, when its
   * causes name a file of one of {@code inputs} (key to location, as configured); otherwise {@code
   * failure} itself, rethrown as it is when it is a checked one (Spark's {@code SparkException}). A failure Sparkfit explained already (a {@link SparkfitException} among its
   * causes) is left as it is.
   */
  public static RuntimeException explain(Exception failure, Map<String, String> inputs) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SparkfitException) {
        return Failures.unchecked(failure);
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      Optional<String> file = fileIn(t.getMessage());
      if (file.isEmpty()) {
        continue;
      }
      String path = new Path(file.get()).toUri().getPath();
      Optional<Map.Entry<String, String>> owner =
          inputs.entrySet().stream()
              .filter(input -> path.equals(pathOf(input.getValue())) || path.startsWith(pathOf(input.getValue()) + "/"))
              .findFirst()
              .or(() -> inputs.size() == 1 ? inputs.entrySet().stream().findFirst() : Optional.empty());
      if (owner.isPresent()) {
        return InvalidInputException.of(
            "Cannot read %s = %s: file %s is corrupt or truncated (%s)",
            owner.get().getKey(),
            owner.get().getValue(),
            display(file.get()),
            Failures.rootMessage(failure).replace(file.get(), "the file"));
      }
    }
    return Failures.unchecked(failure);
  }

  static Optional<String> fileIn(String message) {
    if (message == null) {
      return Optional.empty();
    }
    Matcher m = FILE_URI.matcher(message);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The path part of a location, made absolute against the working directory when it is a relative local path. */
  private static String pathOf(String location) {
    Path path = new Path(location);
    String p = path.toUri().getPath();
    if (path.toUri().getScheme() == null && !path.isAbsolute()) {
      p = java.nio.file.Paths.get(p).toAbsolutePath().normalize().toString();
    }
    return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
  }

  private static String display(String uri) {
    return uri.startsWith("file:") ? new Path(uri).toUri().getPath() : uri;
  }
}
