package io.sparkfit.data;

import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Reads Parquet and projects it to the label, a holdout flag and the feature columns the rest of the pipeline reads. */
public final class TableReader {

  private TableReader() {}

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
   * Projects a table to the label column as stored, a boolean {@code holdout} column, and each
   * feature column read as double, string or {@code array<double>}, in that order ({@link
   * ProjectedRows} reads them by position).
   */
  static Dataset<Row> project(Dataset<Row> table, List<SourceColumn> features, String label, Column holdout) {
    Column[] columns = new Column[features.size() + 2];
    columns[ProjectedRows.LABEL] = column(label).as("label");
    columns[ProjectedRows.HOLDOUT] = holdout.as("holdout");
    for (int i = 0; i < features.size(); i++) {
      columns[ProjectedRows.FIRST_FEATURE + i] = features.get(i).projection().as(SourceColumn.fieldName(i));
    }
    return table.select(columns);
  }

  /** A column by its exact name, even one with dots or spaces in it. */
  public static Column column(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
