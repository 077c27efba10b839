package io.sparkfit.bench;

import io.sparkfit.config.ConfigLoader;
import io.sparkfit.run.SparkSessions;
import io.sparkfit.testing.SampleTables;
import io.sparkfit.testing.SyntheticData;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** MNIST-sized seeded data: 784 features in one array column, 10 classes, about as hard as MNIST for an MLP. */
final class BenchData {
  static final int WIDTH = 784;
  static final int CLASSES = 10;
  private static final double SEPARATION = 0.16;

  private BenchData() {}

  /** A local[2] session for writing the data and running the in-process systems, set up as the jobs set theirs. */
  static SparkSession session() {
    return SparkSessions.create(
        ConfigLoader.parse(
                "data { train = x, features = [x], label = y }\nspark { master = \"local[2]\", conf { \"spark.ui.enabled\" = false } }",
                List.of())
            .config()
            .spark());
  }

  /** {@code rows} training points followed by a quarter as many held-out points. */
  static SyntheticData.Points points(int rows, long seed) {
    return SyntheticData.clusters(seed, rows + rows / 4, CLASSES, WIDTH, SEPARATION);
  }

  /** The features standardised with the mean and deviation of the first {@code rows} (the training rows). */
  static float[][] standardised(double[][] features, int rows) {
    double[] mean = new double[WIDTH];
    double[] sq = new double[WIDTH];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < WIDTH; j++) {
        mean[j] += features[i][j] / rows;
        sq[j] += features[i][j] * features[i][j] / rows;
      }
    }
    float[][] out = new float[features.length][WIDTH];
    for (int i = 0; i < features.length; i++) {
      for (int j = 0; j < WIDTH; j++) {
        double std = Math.sqrt(Math.max(sq[j] - mean[j] * mean[j], 1e-12));
        out[i][j] = (float) ((features[i][j] - mean[j]) / std);
      }
    }
    return out;
  }

  /** Writes {@code rows} training rows and a fifth as many validation rows as Parquet under {@code dir}. */
  static void write(SparkSession spark, String dir, int rows, long seed) {
    write(spark, dir, points(rows, seed), rows);
  }

  /** Writes the first {@code rows} points as training data and the rest as validation data. */
  static void write(SparkSession spark, String dir, SyntheticData.Points points, int rows) {
    StructType schema =
        SampleTables.schema(
            SampleTables.field("pixels", DataTypes.createArrayType(DataTypes.FloatType)),
            SampleTables.field("digit", DataTypes.IntegerType));
    List<Row> train = new ArrayList<>();
    List<Row> validation = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      Float[] x = new Float[WIDTH];
      for (int j = 0; j < WIDTH; j++) {
        x[j] = (float) points.features()[i][j];
      }
      (i < rows ? train : validation).add(RowFactory.create(x, points.labels()[i]));
    }
    spark.createDataFrame(train, schema).repartition(4).write().mode("overwrite").parquet(dir + "/train");
    spark.createDataFrame(validation, schema).repartition(2).write().mode("overwrite").parquet(dir + "/validation");
  }
}
