package io.sparkfit.data;

import io.sparkfit.DataValidationException;
import io.sparkfit.InvalidInputException;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A table to score with a trained model, checked against what the model reads before any row is
 * touched: the feature columns exist and are laid out as in training, and (when labels are needed)
 * the label column holds the same kind of values. Failures name the column, its type and the path.
 */
public final class ScoringTable {
  /** The features as {@code array<double>}, added next to the table's own columns while scoring. */
  public static final String FEATURES = "__sparkfit_features";

  private final Dataset<Row> table;
  private final ModelInputs inputs;
  private final ColumnMapping mapping;
  private final String source;

  private ScoringTable(Dataset<Row> table, ModelInputs inputs, ColumnMapping mapping, String source) {
    this.table = table;
    this.inputs = inputs;
    this.mapping = mapping;
    this.source = source;
  }

  /**
   * @param withLabel whether the label column must be there (evaluate) or is ignored (predict)
   * @param source names the table in error messages, e.g. the path
   */
  public static ScoringTable of(Dataset<Row> table, ModelInputs inputs, boolean withLabel, String source) {
    StructType schema = table.schema();
    List<String> features = inputs.features().columns();
    FeatureLayout layout = SchemaMapper.featureLayout(schema, features, source);
    InvalidInputException.check(
        layout == inputs.features().layout(),
        "%s in %s is laid out as %s, but the model takes %s",
        inputs.features().describe(),
        source,
        layout,
        inputs.features().layout());
    LabelKind kind = inputs.labelIndex().kind();
    if (withLabel) {
      LabelKind actual = SchemaMapper.labelKind(schema, inputs.label().name(), inputs.task(), source);
      InvalidInputException.check(
          actual == kind,
          "label column '%s' in %s has type %s, but the model was trained on %s labels (%s)",
          inputs.label().name(),
          source,
          schema.apply(inputs.label().name()).dataType().simpleString(),
          kind,
          inputs.label().sqlType());
    }
    return new ScoringTable(table, inputs, new ColumnMapping(layout, features, inputs.label().name(), kind), source);
  }

  public Dataset<Row> table() {
    return table;
  }

  /** The model's features as one {@code array<double>} column, before normalisation. */
  public Column features() {
    return TableReader.featuresColumn(mapping);
  }

  /** True for rows whose features the model can take: present, finite, and as many as it expects. */
  public static Column validFeatures(Column features, int width) {
    Column bad =
        functions.exists(
            features, x -> x.isNull().or(functions.isnan(x)).or(functions.abs(x).equalTo(Double.POSITIVE_INFINITY)));
    return features.isNotNull().and(functions.size(features).equalTo(width)).and(functions.not(bad));
  }

  /**
   * Fails with a count and an example when rows have features the model cannot take, unless
   * {@code dropInvalid}; returns how many rows there are and how many are invalid.
   */
  public RowCheck checkFeatures(boolean dropInvalid) {
    Dataset<Row> withFeatures = table.withColumn(FEATURES, features());
    Column valid = validFeatures(functions.col(FEATURES), inputs.features().width());
    Row counts =
        withFeatures
            .agg(functions.count(functions.lit(1)), functions.sum(functions.when(functions.not(valid), 1).otherwise(0)))
            .first();
    long rows = counts.getLong(0);
    long invalid = counts.isNullAt(1) ? 0 : counts.getLong(1);
    if (invalid > 0 && !dropInvalid) {
      Row example = withFeatures.filter(functions.not(valid)).select(FEATURES).first();
      throw new DataValidationException(
          String.format(
              "%d of %d rows of %s have features the model cannot take (null, non-finite, or not %d values), e.g. %s = %s "
                  + "(set data.drop-invalid=true to skip them)",
              invalid,
              rows,
              source,
              inputs.features().width(),
              inputs.features().describe(),
              example.isNullAt(0) ? "null" : RowDecoder.abbreviate(example.getList(0))));
    }
    return new RowCheck(rows, invalid);
  }

  /** Rows read and rows with invalid features. */
  public record RowCheck(long rows, long invalid) {}

  /** Labelled minibatches for evaluation, normalised as in training. */
  public JavaRDD<DataSet> labelledMinibatches(int batchSize, boolean dropInvalid) {
    Dataset<Row> projected = TableReader.project(table, mapping, functions.lit(false));
    RowDecoder decoder = new RowDecoder(inputs.features(), mapping.labelColumn(), mapping.labelKind());
    return projected
        .javaRDD()
        .mapPartitions(new MinibatchPartition(decoder, inputs.labelIndex(), inputs.normalizer(), batchSize, dropInvalid));
  }
}
