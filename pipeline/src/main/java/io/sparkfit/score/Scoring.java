package io.sparkfit.score;

import io.sparkfit.data.SchemaMapper;
import io.sparkfit.InvalidInputException;
import io.sparkfit.data.ScoringTable;
import io.sparkfit.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Applies a trained model to a table, lazily: the result is an ordinary Dataset to write or transform further. */
public final class Scoring {
  private Scoring() {}

  /**
   * Scores {@code input}, whose last column must be {@link ScoringTable#FEATURES} with valid features
   * only: the result has the other columns, then {@code predictionCol} (the label's own type, or
   * double for regression) and, for classifiers, {@code probabilityCol} ({@code array<double>}). The
   * model is broadcast once; each partition is scored in minibatches of {@code batchSize}.
   */
  public static Dataset<Row> score(
      Dataset<Row> input, TrainedModel model, String predictionCol, String probabilityCol, int batchSize) {
    StructType schema = input.schema();
    int last = schema.fields().length - 1;
    if (last < 0 || !schema.fields()[last].name().equals(ScoringTable.FEATURES)) {
      throw new IllegalArgumentException("The last column to score must be " + ScoringTable.FEATURES);
    }
    boolean classifier = model.labelIndex().kind().isClass();
    List<StructField> fields = new ArrayList<>(List.of(schema.fields()).subList(0, last));
    for (String name : classifier ? List.of(predictionCol, probabilityCol) : List.of(predictionCol)) {
      InvalidInputException.check(
          fields.stream().noneMatch(f -> f.name().equals(name)),
          "the data already has a column '%s', where the %s would go (drop it or choose another output column name)",
          name,
          name.equals(predictionCol) ? "prediction" : "class probabilities");
    }
    fields.add(DataTypes.createStructField(predictionCol, classifier ? SchemaMapper.labelType(model.labelColumn()) : DataTypes.DoubleType, false));
    if (classifier) {
      fields.add(DataTypes.createStructField(probabilityCol, DataTypes.createArrayType(DataTypes.DoubleType, false), false));
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(input.sparkSession().sparkContext());
    Broadcast<ScoringModel> broadcast = sc.broadcast(ScoringModel.of(model));
    return input.mapPartitions(new ScorePartition(broadcast, batchSize), Encoders.row(DataTypes.createStructType(fields)));
  }
}
