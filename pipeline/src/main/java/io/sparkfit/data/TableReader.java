package io.sparkfit.data;

import io.sparkfit.InvalidInputException;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Reads Parquet and projects it to the two columns the rest of the pipeline reads. */
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
      throw InvalidInputException.of("Cannot read %s = %s as Parquet: %s", key, path, firstLine(e.getMessage()));
    }
  }

  /**
   * Projects a table to {@code features: array<double>}, the label column as stored and a boolean
   * {@code holdout} column, in that order ({@link RowDecoder} reads them by position).
   */
  public static Dataset<Row> project(Dataset<Row> table, ColumnMapping mapping, Column holdout) {
    return table.select(featuresColumn(mapping).as("features"), column(mapping.labelColumn()).as("label"), holdout.as("holdout"));
  }

  static Column featuresColumn(ColumnMapping mapping) {
    List<String> names = mapping.featureColumns();
    return switch (mapping.layout()) {
      case COLUMNS -> functions.array(names.stream().map(n -> column(n).cast("double")).toArray(Column[]::new));
      case ARRAY -> column(names.get(0)).cast("array<double>");
      case VECTOR -> org.apache.spark.ml.functions.vector_to_array(column(names.get(0)), "float64");
    };
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
