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

  public static final List<String> ACCOUNT_FEATURES =
      List.of("country", "plan", "device", "autopay", "premium", "age", "monthly_spend", "tenure_months", "support_tickets");
  public static final List<String> ACCOUNT_STATUSES = List.of("active", "churned", "fraud");
  private static final String[] COUNTRIES = {"US", "DE", "GB", "FR", "BR", "IN", "JP", "ZA", "NL", "MX"};
  private static final double[] COUNTRY_SHARES = {0.30, 0.14, 0.12, 0.10, 0.09, 0.08, 0.07, 0.05, 0.03, 0.02};
  private static final String[] PLANS = {"basic", "plus", "pro"};
  private static final String[] DEVICES = {"android", "ios", "web"};

  /**
   * Accounts, as a real table comes: string categorical columns (country with a long tail, plan,
   * device with nulls, a yes/no answer), a boolean, numeric columns with nulls and NaN, and a string
   * label whose third class is rare. Churn follows the plan, autopay, tenure and support tickets;
   * fraud (about 2% of rows) follows new web accounts with high spend in four countries, so it is
   * learnable only through the categorical columns together.
   */
  public static Dataset<Row> accounts(SparkSession spark, long seed, int rows) {
    java.util.Random random = new java.util.Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      String country = COUNTRIES[pick(random, COUNTRY_SHARES)];
      String plan = PLANS[pick(random, new double[] {0.5, 0.35, 0.15})];
      String device = DEVICES[pick(random, new double[] {0.45, 0.35, 0.2})];
      boolean autopay = random.nextDouble() < 0.6;
      boolean premium = plan.equals("pro") ? random.nextDouble() < 0.7 : random.nextDouble() < 0.1;
      int age = 18 + (int) Math.round(Math.abs(random.nextGaussian() * 14 + 22));
      long tenure = Math.max(0, Math.round(Math.exp(random.nextGaussian() * 0.9 + 2.6)));
      int tickets = (int) Math.min(12, Math.round(Math.abs(random.nextGaussian() * 1.6)));
      double spend = Math.round((plan.equals("basic") ? 12 : plan.equals("plus") ? 29 : 59) * Math.exp(random.nextGaussian() * 0.35) * 100) / 100.0;
      boolean fraudPattern =
          device.equals("web") && List.of("ZA", "MX", "BR", "IN").contains(country) && tenure < 12;
      String status;
      if (fraudPattern && random.nextDouble() < 0.9) {
        status = "fraud";
        spend = Math.round(spend * 3.2 * 100) / 100.0;
      } else {
        double churn = -1.6 + (plan.equals("basic") ? 0.9 : 0) + (autopay ? -1.2 : 0.6) + 0.45 * tickets - 0.04 * tenure + (premium ? -0.5 : 0);
        status = random.nextDouble() < 1 / (1 + Math.exp(-churn)) ? "churned" : "active";
      }
      out.add(
          RowFactory.create(
              (long) i,
              random.nextDouble() < 0.03 ? null : country,
              plan,
              random.nextDouble() < 0.06 ? null : device,
              autopay ? "yes" : "no",
              premium,
              random.nextDouble() < 0.08 ? null : age,
              random.nextDouble() < 0.1 ? null : random.nextDouble() < 0.02 ? Double.NaN : spend,
              tenure,
              random.nextDouble() < 0.05 ? null : tickets,
              status));
    }
    StructType schema =
        schema(
            field("id", DataTypes.LongType),
            field("country", DataTypes.StringType),
            field("plan", DataTypes.StringType),
            field("device", DataTypes.StringType),
            field("autopay", DataTypes.StringType),
            field("premium", DataTypes.BooleanType),
            field("age", DataTypes.IntegerType),
            field("monthly_spend", DataTypes.DoubleType),
            field("tenure_months", DataTypes.LongType),
            field("support_tickets", DataTypes.IntegerType),
            field("status", DataTypes.StringType));
    return spark.createDataFrame(out, schema);
  }

  private static int pick(java.util.Random random, double[] shares) {
    double u = random.nextDouble();
    for (int i = 0; i < shares.length - 1; i++) {
      u -= shares[i];
      if (u < 0) {
        return i;
      }
    }
    return shares.length - 1;
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
    Dataset<Row> accounts = accounts(spark, SEED + 4, 4000);
    samples.put("accounts/train", accounts.filter("id < 3200"));
    samples.put("accounts/test", accounts.filter("id >= 3200"));
    return samples;
  }

  public static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  public static StructType schema(StructField... fields) {
    return DataTypes.createStructType(fields);
  }
}
