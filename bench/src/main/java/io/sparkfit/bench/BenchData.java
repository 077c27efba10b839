package io.sparkfit.bench;

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

  /** Writes {@code rows} training rows and a fifth as many validation rows as Parquet under {@code dir}. */
  static void write(SparkSession spark, String dir, int rows, long seed) {
    SyntheticData.Points points = SyntheticData.clusters(seed, rows + rows / 4, CLASSES, WIDTH, SEPARATION);
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
