package io.sparkfit.data;

import io.sparkfit.DataValidationException;
import io.sparkfit.InvalidInputException;
import io.sparkfit.features.Feature;
import io.sparkfit.features.FeatureEncoder;
import io.sparkfit.features.Features;
import io.sparkfit.features.ProjectedRows;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.LabelKind;
import io.sparkfit.inputs.MetricColumns;
import io.sparkfit.inputs.ModelInputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A table to score with a trained model, checked against what the model reads before any row is
 * touched: each feature column exists and holds the kind of values the model read in training, and
 * (when labels are needed) the label column holds the same kind of values. Failures name the column,
 * its type and the path.
 */
public final class ScoringTable {
  /** The features as a struct of the model's columns, added next to the table's own columns while scoring. */
  public static final String FEATURES = "__sparkfit_features";

  private final Dataset<Row> table;
  private final ModelInputs inputs;
  private final List<Feature> sources;
  private final LabelKind labelKind;
  private final String source;
  /** The model's weight column when evaluating a weighted model; null otherwise (predict never reads it). */
  private final String weightColumn;

  private ScoringTable(Dataset<Row> table, ModelInputs inputs, List<Feature> sources, LabelKind labelKind, String source, String weightColumn) {
    this.weightColumn = weightColumn;
    this.table = table;
    this.inputs = inputs;
    this.sources = sources;
    this.labelKind = labelKind;
    this.source = source;
  }

  /**
   * @param withLabel whether the label column must be there (evaluate) or is ignored (predict)
   * @param source names the table in error messages, e.g. the path
   */
  public static ScoringTable of(Dataset<Row> table, ModelInputs inputs, boolean withLabel, String source) {
    StructType schema = table.schema();
    List<Feature> sources = Features.forModel(schema, inputs.features(), source);
    LabelKind kind = inputs.labelIndex().kind();
    if (withLabel) {
      LabelKind actual = SchemaMapper.labelKind(schema, inputs.label().name(), inputs.task(), source);
      inputs.metricColumns().weightColumn().ifPresent(w -> SchemaMapper.checkWeight(schema, w, source));
      InvalidInputException.check(
          actual == kind,
          "label column '%s' in %s has type %s, but the model was trained on %s labels (%s)",
          inputs.label().name(),
          source,
          schema.apply(inputs.label().name()).dataType().simpleString(),
          kind,
          inputs.label().sqlType());
    }
    return new ScoringTable(table, inputs, sources, kind, source, withLabel ? inputs.metricColumns().weightColumn().orElse(null) : null);
  }

  public Dataset<Row> table() {
    return table;
  }

  /** The model's feature columns, each as its kind reads it, as one struct column. */
  public Column features() {
    return Features.struct(sources);
  }

  /**
   * True for rows whose features (the struct {@link #features()} makes) the model can take, by each
   * column's kind ({@link io.sparkfit.features.Feature#valid}): numbers finite or missing with a fill
   * value, arrays present, finite and as long as in training, dates readable. Categorical values are
   * always valid.
   */
  public static Column validFeatures(Column features, FeatureSpec spec) {
    return Features.valid(features, spec);
  }

  /**
   * Counts rows, rows with features the model cannot take (or, for a weighted model, an invalid
   * weight), and per categorical column the values
   * outside the vocabulary (unseen in training, or folded into "other" there), in one pass. Fails with
   * a count and an example when rows are invalid, unless {@code dropInvalid}.
   */
  public RowCheck checkFeatures(boolean dropInvalid) {
    Dataset<Row> withFeatures = table.withColumn(FEATURES, features());
    Column validFeatures = validFeatures(functions.col(FEATURES), inputs.features());
    Column validWeight = validWeight();
    Column valid = validFeatures.and(validWeight);
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(functions.sum(functions.when(functions.not(valid), 1).otherwise(0)));
    aggregates.add(functions.sum(functions.when(functions.not(validWeight), 1).otherwise(0)));
    List<InputColumn> columns = inputs.features().columns();
    List<String> categorical = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i) instanceof InputColumn.Categorical c) {
        Column x = functions.col(FEATURES).getField(Features.fieldName(i));
        Column outside = c.vocabulary().isEmpty() ? x.isNotNull() : x.isNotNull().and(functions.not(x.isin(c.vocabulary().toArray())));
        aggregates.add(functions.sum(functions.when(outside, 1).otherwise(0)));
        categorical.add(c.column());
      }
    }
    Row counts = withFeatures.agg(functions.count(functions.lit(1)), aggregates.toArray(Column[]::new)).first();
    long rows = counts.getLong(0);
    long invalid = counts.isNullAt(1) ? 0 : counts.getLong(1);
    Map<String, Long> unseen = new LinkedHashMap<>();
    for (int i = 0; i < categorical.size(); i++) {
      unseen.put(categorical.get(i), counts.isNullAt(3 + i) ? 0 : counts.getLong(3 + i));
    }
    long badWeights = counts.isNullAt(2) ? 0 : counts.getLong(2);
    if (badWeights > 0 && !dropInvalid) {
      Row example = table.filter(functions.not(validWeight)).select(Features.column(weightColumn)).first();
      throw new DataValidationException(
          String.format(
              "%d of %d rows of %s have an invalid weight in column '%s' (data.weight-column of the model), e.g. %s "
                  + "(must be finite and >= 0; set data.drop-invalid=true to skip them)",
              badWeights, rows, source, weightColumn, ProjectedRows.value(example, 0)));
    }
    if (invalid > 0 && !dropInvalid) {
      Row example = withFeatures.filter(functions.not(valid)).select(FEATURES).first();
      throw new DataValidationException(
          String.format(
              "%d of %d rows of %s have features the model cannot take (missing without imputation, non-finite, an "
                  + "array not of the trained length, or text its date format cannot read), e.g. %s = %s (set data.drop-invalid=true to skip them)",
              invalid,
              rows,
              source,
              inputs.features().describe(),
              describe(example.getStruct(0))));
    }
    return new RowCheck(rows, invalid, unseen);
  }

  /** True for rows whose weight a weighted model's metrics can take (finite, >= 0); always true without a weight column: the rows every metric, exact AUCs included, counts. */
  public Column validWeight() {
    if (weightColumn == null) {
      return functions.lit(true);
    }
    return validWeight(Features.column(weightColumn));
  }

  /** Whether {@code weight} is a weight a row can have: not null, finite and not negative (as {@link ProjectedRows#validWeight}). */
  public static Column validWeight(Column weight) {
    Column w = weight.cast("double");
    return functions.coalesce(
        w.isNotNull().and(functions.not(functions.isnan(w))).and(w.geq(0)).and(w.lt(Double.POSITIVE_INFINITY)), functions.lit(false));
  }

  private static String describe(Row features) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < features.length(); i++) {
      values.add(ProjectedRows.value(features, i));
    }
    return values.size() == 1 ? values.get(0) : values.toString();
  }

  /**
   * Rows read, rows with invalid features, and per categorical column how many rows held a value
   * outside the model's vocabulary (they went to its "other" input).
   */
  public record RowCheck(long rows, long invalid, Map<String, Long> unseenCategories) {
    public RowCheck {
      unseenCategories = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unseenCategories));
    }
  }

  /** Labelled minibatches for evaluation, encoded and scaled as in training; a weighted model's weights as their labels masks. */
  public JavaRDD<MultiDataSet> labelledMinibatches(int batchSize, boolean dropInvalid) {
    return labelledMinibatches(batchSize, dropInvalid, List.of());
  }

  /**
   * As {@link #labelledMinibatches(int, boolean)}, with each example's index in each of {@code slices}
   * as the minibatches' example metadata ({@link io.sparkfit.metrics.Slicing}). Fails naming the column
   * when a slice column is not in the table.
   */
  public JavaRDD<MultiDataSet> labelledMinibatches(int batchSize, boolean dropInvalid, List<MetricColumns.SliceColumn> slices) {
    java.util.Optional<String> weight = java.util.Optional.ofNullable(weightColumn);
    List<String> sliceColumns = slices.stream().map(MetricColumns.SliceColumn::column).toList();
    List<String> columns = java.util.Arrays.asList(table.columns());
    for (String slice : sliceColumns) {
      InvalidInputException.check(
          columns.contains(slice), "column '%s' (metrics.slices of the model) not found in %s; its columns are %s", slice, source, columns);
    }
    Dataset<Row> projected = TableReader.project(table, sources, inputs.label().name(), functions.lit(false), weight, sliceColumns);
    ProjectedRows layout = new ProjectedRows(inputs.features().columnNames(), inputs.label().name(), labelKind, weightColumn, sliceColumns);
    return projected
        .javaRDD()
        .mapPartitions(
            new MinibatchPartition(
                layout,
                new FeatureEncoder(inputs.features(), inputs.normalizer()),
                inputs.layout(),
                inputs.labelIndex(),
                batchSize,
                dropInvalid,
                slices));
  }
}
