package io.sparkfit.ml;

import io.sparkfit.config.Task;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The Params that the estimator and the model share, made for either owner. */
final class SparkfitParams {
  private SparkfitParams() {}

  static Param<String> featuresCol(Params owner) {
    return new Param<>(owner, "featuresCol", "the features: one array<float|double> or vector column, or a numeric or string column (several columns: data.features in config)");
  }

  static Param<String> labelCol(Params owner) {
    return new Param<>(owner, "labelCol", "the label column");
  }

  static Param<String> predictionCol(Params owner) {
    return new Param<>(owner, "predictionCol", "output: the predicted label, in the label's own type (double for regression)");
  }

  static Param<String> probabilityCol(Params owner) {
    return new Param<>(owner, "probabilityCol", "output for classifiers: the class probabilities, array<double> in label-index order");
  }

  /** {@code schema} with the scoring outputs appended; fails naming a missing input or a clashing output column. */
  static StructType withOutputs(
      StructType schema, List<String> features, String prediction, String probability, Task task, DataType labelType) {
    List<String> names = List.of(schema.fieldNames());
    for (String feature : features) {
      if (!names.contains(feature)) {
        throw new IllegalArgumentException("feature column '" + feature + "' is not a column of " + names);
      }
    }
    List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
    for (String out : task == Task.CLASSIFICATION ? List.of(prediction, probability) : List.of(prediction)) {
      if (names.contains(out)) {
        throw new IllegalArgumentException("output column '" + out + "' already exists in " + names);
      }
    }
    fields.add(DataTypes.createStructField(prediction, task == Task.CLASSIFICATION ? labelType : DataTypes.DoubleType, false));
    if (task == Task.CLASSIFICATION) {
      fields.add(DataTypes.createStructField(probability, DataTypes.createArrayType(DataTypes.DoubleType, false), false));
    }
    return DataTypes.createStructType(fields);
  }
}
