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

  public static final List<String> PATTERNS = List.of("diagonal", "horizontal", "vertical");
  public static final int IMAGE_SIDE = 12;

  /**
   * Small grey images, 1 × 12 × 12, stored row-major in one {@code array<float>} column {@code pixels}:
   * a bright bar, horizontal, vertical or diagonal, at a random place, over noise. The label
   * {@code pattern} names the bar's direction: a convolution finds it wherever it is.
   */
  public static Dataset<Row> images(SparkSession spark, long seed, int rows) {
    java.util.Random random = new java.util.Random(seed);
    int side = IMAGE_SIDE;
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int pattern = random.nextInt(3);
      Float[] pixels = new Float[side * side];
      for (int k = 0; k < pixels.length; k++) {
        pixels[k] = (float) Math.max(0, 0.25 * random.nextGaussian() + 0.2);
      }
      int at = 1 + random.nextInt(side - 2);
      int start = random.nextInt(4);
      int length = 6 + random.nextInt(side - 6 - start + 1);
      for (int k = start; k < start + length && k < side; k++) {
        // diagonal: down and to the right, wrapping; horizontal: along row `at`; vertical: down column `at`.
        int r = pattern == 1 ? at : k;
        int c = pattern == 0 ? (k + at) % side : pattern == 1 ? k : at;
        pixels[r * side + c] = (float) (0.9 + 0.1 * random.nextDouble());
      }
      out.add(RowFactory.create((long) i, pixels, PATTERNS.get(pattern)));
    }
    StructType schema =
        schema(
            field("id", DataTypes.LongType),
            field("pixels", DataTypes.createArrayType(DataTypes.FloatType, true)),
            field("pattern", DataTypes.StringType));
    return spark.createDataFrame(out, schema);
  }

  public static final List<String> RHYTHMS = List.of("fast", "medium", "slow");

  /**
   * Sensor windows of different lengths (8 to 30 steps) of two channels, a noisy sine and cosine, in
   * one {@code array<array<float>>} column {@code signal}; the label {@code rhythm} is the wave's
   * frequency band. The shortest windows hold barely one period of the slow waves.
   */
  public static Dataset<Row> sequences(SparkSession spark, long seed, int rows) {
    java.util.Random random = new java.util.Random(seed);
    double[] frequencies = {0.9, 0.5, 0.2};
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int rhythm = random.nextInt(3);
      int steps = 8 + random.nextInt(23);
      double f = frequencies[rhythm] * (0.85 + 0.3 * random.nextDouble());
      double phase = random.nextDouble() * 2 * Math.PI;
      double amplitude = 0.5 + random.nextDouble();
      List<List<Float>> signal = new ArrayList<>();
      for (int t = 0; t < steps; t++) {
        signal.add(
            List.of(
                (float) (amplitude * Math.sin(f * t + phase) + 0.2 * random.nextGaussian()),
                (float) (amplitude * Math.cos(f * t + phase) + 0.2 * random.nextGaussian())));
      }
      out.add(RowFactory.create((long) i, scala.collection.JavaConverters.asScalaBuffer(
          signal.stream().map(s -> scala.collection.JavaConverters.asScalaBuffer(s).toSeq()).toList()).toSeq(), RHYTHMS.get(rhythm)));
    }
    StructType schema =
        schema(
            field("id", DataTypes.LongType),
            field("signal", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, true), true)),
            field("rhythm", DataTypes.StringType));
    return spark.createDataFrame(out, schema);
  }

  public static final List<String> ORDER_FEATURES = List.of("merchant", "category", "amount", "hour");
  public static final int MERCHANTS = 400;

  /**
   * Orders: a {@code merchant} out of 400 (a long tail) and a {@code category} out of 24, both strings,
   * an {@code amount} and an {@code hour}; {@code returned} (boolean) depends mostly on each merchant's
   * own hidden return rate, which a merchant embedding can learn and a capped one-hot folds away.
   */
  public static Dataset<Row> orders(SparkSession spark, long seed, int rows) {
    java.util.Random random = new java.util.Random(seed);
    double[] merchantRisk = new double[MERCHANTS];
    for (int m = 0; m < MERCHANTS; m++) {
      merchantRisk[m] = 1.6 * random.nextGaussian();
    }
    double[] categoryRisk = new double[24];
    for (int c = 0; c < categoryRisk.length; c++) {
      categoryRisk[c] = 0.6 * random.nextGaussian();
    }
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      // Zipf-like: a few merchants get most orders.
      int merchant = (int) Math.min(MERCHANTS - 1, Math.floor(Math.pow(random.nextDouble(), 2.2) * MERCHANTS));
      int category = random.nextInt(categoryRisk.length);
      double amount = Math.exp(3 + random.nextGaussian());
      int hour = random.nextInt(24);
      double logit = -1.0 + merchantRisk[merchant] + categoryRisk[category] + 0.4 * (Math.log(amount) - 3);
      boolean returned = random.nextDouble() < 1 / (1 + Math.exp(-logit));
      out.add(
          RowFactory.create(
              (long) i, String.format("m%03d", merchant), "c" + category, Math.round(amount * 100) / 100.0, hour, returned));
    }
    StructType schema =
        schema(
            field("id", DataTypes.LongType),
            field("merchant", DataTypes.StringType),
            field("category", DataTypes.StringType),
            field("amount", DataTypes.DoubleType),
            field("hour", DataTypes.IntegerType),
            field("returned", DataTypes.BooleanType));
    return spark.createDataFrame(out, schema);
  }

  public static final List<String> LOADS = List.of("low", "normal", "peak");
  public static final String METER_ZONE = "Europe/Berlin";

  /**
   * Hourly electricity meter readings over 2023 and 2024: {@code read_at} (timestamp, an instant; 2%
   * null), the same time as Berlin wall-clock text in {@code logged} ("dd.MM.yyyy HH:mm"), the
   * {@code billing_day} (date) and the outdoor {@code temperature_c}. The {@code load} class depends
   * on the Berlin hour and weekday (working hours, the evening peak) and the season (winter),
   * which only date and time columns carry, and a little on the temperature.
   */
  public static Dataset<Row> meters(SparkSession spark, long seed, int rows) {
    java.util.Random random = new java.util.Random(seed);
    java.time.ZoneId berlin = java.time.ZoneId.of(METER_ZONE);
    java.time.Instant start = java.time.Instant.parse("2023-01-01T00:00:00Z");
    java.time.format.DateTimeFormatter logged = java.time.format.DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");
    double[] scores = new double[rows];
    List<Object[]> values = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      java.time.Instant at = start.plusSeconds(3600L * random.nextInt(2 * 365 * 24) + 60L * random.nextInt(60));
      java.time.ZonedDateTime local = at.atZone(berlin);
      int hour = local.getHour();
      boolean workday = local.getDayOfWeek().getValue() <= 5;
      double winter = Math.cos(2 * Math.PI * (local.getDayOfYear() - 15) / 365.25);
      double temperature = Math.round((10 - 9 * winter + 3 * random.nextGaussian()) * 10) / 10.0;
      scores[i] =
          (workday && hour >= 7 && hour <= 20 ? 1.2 : 0) + (hour >= 17 && hour <= 20 ? 0.7 : 0) + 0.6 * winter
              - 0.01 * (temperature - 10) + 0.25 * random.nextGaussian();
      values.add(
          new Object[] {
            (long) i, random.nextDouble() < 0.02 ? null : at, local.format(logged), local.toLocalDate(), temperature
          });
    }
    double[] sorted = scores.clone();
    java.util.Arrays.sort(sorted);
    double low = sorted[rows * 4 / 10];
    double peak = sorted[rows * 8 / 10];
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      Object[] v = values.get(i);
      String load = scores[i] < low ? "low" : scores[i] < peak ? "normal" : "peak";
      out.add(RowFactory.create(v[0], v[1], v[2], v[3], v[4], load));
    }
    StructType schema =
        schema(
            field("id", DataTypes.LongType),
            field("read_at", DataTypes.TimestampType),
            field("logged", DataTypes.StringType),
            field("billing_day", DataTypes.DateType),
            field("temperature_c", DataTypes.DoubleType),
            field("load", DataTypes.StringType));
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
    Dataset<Row> accounts = accounts(spark, SEED + 4, 4000);
    samples.put("accounts/train", accounts.filter("id < 3200"));
    samples.put("accounts/test", accounts.filter("id >= 3200"));
    Dataset<Row> images = images(spark, SEED + 5, 1500);
    samples.put("images/train", images.filter("id < 1200"));
    samples.put("images/test", images.filter("id >= 1200"));
    Dataset<Row> sequences = sequences(spark, SEED + 6, 1500);
    samples.put("sequences/train", sequences.filter("id < 1200"));
    samples.put("sequences/test", sequences.filter("id >= 1200"));
    Dataset<Row> orders = orders(spark, SEED + 7, 6000);
    samples.put("orders/train", orders.filter("id < 5000"));
    samples.put("orders/test", orders.filter("id >= 5000"));
    Dataset<Row> meters = meters(spark, SEED + 8, 6000);
    samples.put("meters/train", meters.filter("id < 5000"));
    samples.put("meters/test", meters.filter("id >= 5000"));
    return samples;
  }

  public static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  public static StructType schema(StructField... fields) {
    return DataTypes.createStructType(fields);
  }
}
