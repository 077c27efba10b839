package io.sparkfit.data;

import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import io.sparkfit.features.Feature;
import io.sparkfit.features.Features;
import io.sparkfit.features.ProjectedRows;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads Parquet and projects it to the label, a holdout flag and the feature columns the rest of the pipeline reads. */
public final class TableReader {

  private TableReader() {}

  /**
   * About how many bytes of values one batch of Spark's vectorized Parquet reader may hold while the
   * rows are read, projected and cached. Its batches are a number of rows, 4,096 by default, whatever
   * their width: for a column of 784 values that is 3.2 million values, and with their definition and
   * repetition levels about 60 MB of arrays per task (measured), 100 times a narrow table's. The
   * columnar cache bounds its own batches at 4 MB (Spark's ColumnBuilder.MAX_BATCH_SIZE_IN_BYTE).
   */
  static final long READ_BATCH_BYTES = 2L << 20;
  private static final String READ_BATCH_ROWS = "spark.sql.parquet.columnarReaderBatchSize";
  private static final int DEFAULT_READ_BATCH_ROWS = 4096;

  /** Reads a Parquet file or directory; a missing path is an {@link InvalidInputException} naming the key. */
  public static Dataset<Row> read(SparkSession spark, String path, String key) {
    try {
      return spark.read().parquet(path);
    } catch (Exception e) {
      // Spark throws AnalysisException for a missing path, but declares no checked exception.
      if (e instanceof AnalysisException analysis) {
        throw InvalidInputException.of("Cannot read %s = %s: %s", key, path, firstLine(analysis.getSimpleMessage()));
      }
      if (corruptFile(e, key, path) instanceof InvalidInputException corrupt) {
        throw corrupt;
      }
      throw InvalidInputException.of("Cannot read %s = %s as Parquet: %s", key, path, Failures.rootMessage(e));
    }
  }

  private static RuntimeException corruptFile(Exception e, String key, String path) {
    try {
      return ReadFailures.explain(e, java.util.Map.of(key, path));
    } catch (Exception unexplained) {
      return null;
    }
  }

  /**
   * Runs {@code work}, whose actions read {@code table} (caching and profiling its projected rows, or
   * scoring them), with batches of Spark's Parquet reader of about {@link
   * #READ_BATCH_BYTES} of values, however wide a row is. Spark reads the setting when a scan is
   * planned, so it is set for {@code work} alone, from the size of a first row of {@code table} (read
   * from one partition), and put back; a value the user set that is smaller is kept.
   */
  public static <T> T withReadBatches(Dataset<Row> table, List<String> columns, Supplier<T> work) {
    SparkSession spark = table.sparkSession();
    // Columns the table lacks are left to the checks that name them.
    List<String> present = columns.stream().filter(java.util.Arrays.asList(table.columns())::contains).toList();
    List<Row> first = present.isEmpty() ? List.of() : table.select(present.stream().map(Features::column).toArray(Column[]::new)).limit(1).collectAsList();
    long rowBytes = first.isEmpty() ? 64 : Math.max(8, bytes(first.get(0)));
    String before = spark.conf().getOption(READ_BATCH_ROWS).getOrElse(() -> null);
    long configured = before == null ? DEFAULT_READ_BATCH_ROWS : Long.parseLong(before.trim());
    spark.conf().set(READ_BATCH_ROWS, readBatchRows(rowBytes, configured));
    try {
      return work.get();
    } finally {
      if (before == null) {
        spark.conf().unset(READ_BATCH_ROWS);
      } else {
        spark.conf().set(READ_BATCH_ROWS, before);
      }
    }
  }

  /** Rows per reader batch for rows of {@code rowBytes}: at most {@code configured}, at least 16. */
  static long readBatchRows(long rowBytes, long configured) {
    return Math.max(16, Math.min(configured, READ_BATCH_BYTES / Math.max(1, rowBytes)));
  }

  /** About how many bytes a value takes once read: 8 per number, a string's characters, arrays by their elements. */
  static long bytes(Object value) {
    if (value instanceof Row row) {
      long total = 0;
      for (int i = 0; i < row.length(); i++) {
        total += bytes(row.get(i));
      }
      return total;
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      long total = 4;
      for (scala.collection.Iterator<?> it = seq.iterator(); it.hasNext(); ) {
        total += bytes(it.next());
      }
      return total;
    }
    if (value instanceof String text) {
      return 4 + 2L * text.length();
    }
    return 8;
  }

  /**
   * Projects a table to the label column as stored, a boolean {@code holdout} column, and each
   * feature column as its kind reads it, in that order ({@link
   * ProjectedRows} reads them by position).
   */
  static Dataset<Row> project(Dataset<Row> table, List<Feature> features, String label, Column holdout, java.util.Optional<String> weight) {
    return project(table, features, label, holdout, weight, List.of());
  }

  /** As {@link #project(Dataset, List, String, Column, java.util.Optional)}, with the slice columns as text last ({@link ProjectedRows}). */
  static Dataset<Row> project(
      Dataset<Row> table, List<Feature> features, String label, Column holdout, java.util.Optional<String> weight, List<String> slices) {
    int weights = weight.isPresent() ? 1 : 0;
    Column[] columns = new Column[features.size() + 2 + weights + slices.size()];
    for (int s = 0; s < slices.size(); s++) {
      columns[ProjectedRows.FIRST_FEATURE + features.size() + weights + s] = Features.column(slices.get(s)).cast("string").as("slice" + s);
    }
    columns[ProjectedRows.LABEL] = Features.column(label).as("label");
    columns[ProjectedRows.HOLDOUT] = holdout.as("holdout");
    for (int i = 0; i < features.size(); i++) {
      columns[ProjectedRows.FIRST_FEATURE + i] = features.get(i).projection().as(Features.fieldName(i));
    }
    weight.ifPresent(w -> columns[ProjectedRows.FIRST_FEATURE + features.size()] = Features.column(w).cast("double").as("weight"));
    return table.select(columns);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
