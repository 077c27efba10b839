package io.sparkfit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.DataValidationException;
import io.sparkfit.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** A corrupt input file, found deep in Spark's causes, becomes one line naming the file and its input. */
class ReadFailuresTest {

  @Test
  void findsTheFileInSparksMessages() {
    assertThat(ReadFailures.fileIn("file:/d/part-1.parquet is not a Parquet file. Expected magic number")).contains("file:/d/part-1.parquet");
    assertThat(ReadFailures.fileIn("Encountered error while reading file file:///d/x.parquet. Details:")).contains("file:///d/x.parquet");
    assertThat(ReadFailures.fileIn("Can not read value at 0 in block -1 in file hdfs://nn:8020/d/p.parquet")).contains("hdfs://nn:8020/d/p.parquet");
    assertThat(ReadFailures.fileIn("Job aborted due to stage failure")).isEmpty();
    assertThat(ReadFailures.fileIn(null)).isEmpty();
  }

  @Test
  void namesTheFileAndTheInputItBelongsTo() {
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("data.train", "/d/train");
    inputs.put("data.validation", "/d/validation/");
    SparkException failure =
        new SparkException(
            "Job aborted due to stage failure: Task 1 in stage 1.0 failed",
            new RuntimeException("file:/d/validation/part-1.parquet is not a Parquet file. Expected magic number at tail"));
    assertThat(ReadFailures.explain(failure, inputs))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Cannot read data.validation = /d/validation/: file /d/validation/part-1.parquet is corrupt or truncated "
                + "(RuntimeException: the file is not a Parquet file. Expected magic number at tail)");
  }

  @Test
  void leavesOtherFailuresAsTheyAre() {
    IllegalStateException bug = new IllegalStateException("a bug");
    assertThat(ReadFailures.explain(bug, Map.of("data.train", "/d"))).isSameAs(bug);
    SparkException checked = new SparkException("Job aborted", new DataValidationException("bad row in file:/d/part-0.parquet"));
    assertThatThrownBy(() -> ReadFailures.explain(checked, Map.of("data.train", "/d")))
        .as("a failure Sparkfit explained already, rethrown unchanged")
        .isSameAs(checked);
    SparkException elsewhere = new SparkException("Job aborted", new RuntimeException("file:/other/x.parquet is not a Parquet file"));
    Map<String, String> two = Map.of("data.train", "/d/train", "data.validation", "/d/validation");
    assertThatThrownBy(() -> ReadFailures.explain(elsewhere, two)).as("a file of neither input").isSameAs(elsewhere);
  }
}
