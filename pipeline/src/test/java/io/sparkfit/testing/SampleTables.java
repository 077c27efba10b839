package io.sparkfit.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The sample tables in {@code data-samples/}, and variants of them for tests, as Spark DataFrames.
 * Every table has a {@code id} column so rows can be matched up after scoring.
 */
public final class SampleTables {
  private SampleTables() {}

  public static final long SEED = 20261122L;
  public static final List<String> SEGMENTS = List.of("bronze", "gold", "silver");
  public static final List<String> CUSTOMER_FEATURES =
      List.of("age", "income", "visits_per_month", "avg_basket", "tenure_days");

  /**
   * Customers: five numeric columns in their own units (years, dollars, counts, days) and a string
   * label {@code segment}. The quickstart's data: unscaled features, string classes.
   */
  public static Dataset<Row> customers(SparkSession spark, long seed, int rows) {
    SyntheticData.Points p = SyntheticData.clusters(seed, rows, SEGMENTS.size(), CUSTOMER_FEATURES.size(), 1.4);
    double[][] x =
        SyntheticData.rescale(
            p.features(), new double[] {9, 21000, 3.5, 40, 420}, new double[] {45, 62000, 9, 85, 1300});
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      out.add(
          RowFactory.create(
              (long) i,
              (int) Math.round(x[i][0]),
              Math.round(x[i][1] * 100) / 100.0,
              (float) x[i][2],
              x[i][3],
              Math.round(x[i][4]),
              SEGMENTS.get(p.labels()[i])));
    }
    StructType schema =
        schema(
            field("id", DataTypes.LongType),
            field("age", DataTypes.IntegerType),
            field("income", DataTypes.DoubleType),
            field("visits_per_month", DataTypes.FloatType),
            field("avg_basket", DataTypes.DoubleType),
            field("tenure_days", DataTypes.LongType),
            field("segment", DataTypes.StringType));
    return spark.createDataFrame(out, schema);
  }

  /** Sensor readings: one {@code array<float>} column of {@code width} values and an int label. */
  public static Dataset<Row> sensors(SparkSession spark, long seed, int rows, int width, int classes) {
    SyntheticData.Points p = SyntheticData.clusters(seed, rows, classes, width, 0.8);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      Float[] values = new Float[width];
      for (int j = 0; j < width; j++) {
        values[j] = (float) (p.features()[i][j] * 0.5 + 2.0);
      }
      out.add(RowFactory.create((long) i, values, p.labels()[i]));
    }
    StructType schema =
        schema(
            field("id", DataTypes.LongType),
            field("readings", DataTypes.createArrayType(DataTypes.FloatType, true)),
            field("state", DataTypes.IntegerType));
    return spark.createDataFrame(out, schema);
  }

  /** Spark ML style: a vector column {@code features} and a double label {@code label} (0.0, 1.0, ...). */
  public static Dataset<Row> vectors(SparkSession spark, long seed, int rows, int width, int classes) {
    SyntheticData.Points p = SyntheticData.clusters(seed, rows, classes, width, 1.1);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      out.add(RowFactory.create((long) i, Vectors.dense(p.features()[i]), (double) p.labels()[i]));
    }
    StructType schema =
        schema(field("id", DataTypes.LongType), field("features", SQLDataTypes.VectorType()), field("label", DataTypes.DoubleType));
    return spark.createDataFrame(out, schema);
  }

  public static final List<String> HOUSE_FEATURES = List.of("area_sqm", "rooms", "age_years", "distance_km");

  /** Houses: four numeric columns in their own units and a price target. */
  public static Dataset<Row> houses(SparkSession spark, long seed, int rows) {
    SyntheticData.Targets t = SyntheticData.regression(seed, rows, HOUSE_FEATURES.size(), 0.1);
    double[][] x = SyntheticData.rescale(t.features(), new double[] {30, 1, 15, 6}, new double[] {110, 4, 35, 12});
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      out.add(
          RowFactory.create(
              (long) i,
              Math.round(x[i][0] * 10) / 10.0,
              Math.round(x[i][1] * 10) / 10.0,
              Math.round(x[i][2] * 10) / 10.0,
              Math.round(x[i][3] * 100) / 100.0,
              Math.round((t.targets()[i] * 60 + 400) * 100) / 100.0));
    }
    StructType schema =
        schema(
            field("id", DataTypes.LongType),
            field("area_sqm", DataTypes.DoubleType),
            field("rooms", DataTypes.DoubleType),
            field("age_years", DataTypes.DoubleType),
            field("distance_km", DataTypes.DoubleType),
            field("price_k", DataTypes.DoubleType));
    return spark.createDataFrame(out, schema);
  }

  /** The tables in {@code data-samples/}, by their directory there. */
  public static java.util.Map<String, Dataset<Row>> dataSamples(SparkSession spark) {
    java.util.Map<String, Dataset<Row>> samples = new java.util.LinkedHashMap<>();
    samples.put("customers", customers(spark, SEED, 1500));
    Dataset<Row> houses = houses(spark, SEED + 1, 1250);
    samples.put("houses/train", houses.filter("id < 1000"));
    samples.put("houses/validation", houses.filter("id >= 1000"));
    samples.put("sensors", sensors(spark, SEED + 2, 1200, 16, 4));
    samples.put("vectors", vectors(spark, SEED + 3, 1000, 8, 2));
    return samples;
  }

  public static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  public static StructType schema(StructField... fields) {
    return DataTypes.createStructType(fields);
  }
}
