package io.sparkfit.jobs;

import io.sparkfit.InvalidInputException;
import io.sparkfit.output.OutputOverlap;
import io.sparkfit.output.StagedWrite;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** The {@code --output} JSON file of {@code evaluate} and {@code compare}: checked before Spark starts, written staged. */
final class JsonFile {
  private JsonFile() {}

  /**
   * Refuses an {@code --output} that overlaps an input or is a directory (a training output, say,
   * which must never be taken for the file); a file there is replaced later.
   */
  static void checkWritable(String output, String job, List<OutputOverlap.Named> inputs) throws IOException {
    Configuration hadoop = new Configuration();
    OutputOverlap.refuse(hadoop, new OutputOverlap.Named("--output", output), inputs);
    Path path = new Path(output);
    FileSystem fs = path.getFileSystem(hadoop);
    InvalidInputException.check(
        !fs.exists(path) || fs.getFileStatus(path).isFile(), "--output %s is a directory; %s writes one JSON file", output, job);
  }

  /** Writes {@code json} to {@code output}, staged beside it and renamed, so a reader never sees half a file. */
  static void write(SparkSession spark, String output, String json) throws IOException {
    Path path = new Path(output);
    FileSystem fs = StagedWrite.fileSystem(path, spark.sparkContext().hadoopConfiguration());
    StagedWrite.of(fs, path, spark.sparkContext().applicationId())
        .write(
            staged -> {
              try (OutputStream out = staged.create()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
              }
            });
  }
}
