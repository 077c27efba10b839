package io.sparkfit.score;

import io.sparkfit.inputs.MetricColumns;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.inputs.LabelIndex;
import io.sparkfit.data.ReadFailures;
import io.sparkfit.data.ScoringTable;
import io.sparkfit.data.TableReader;
import io.sparkfit.features.Features;
import io.sparkfit.config.Metric;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricResults;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.MetricValues;
import io.sparkfit.metrics.SliceMetrics;
import io.sparkfit.metrics.Slicing;
import io.sparkfit.metrics.spark.DistributedEvaluation;
import io.sparkfit.model.Provenance;
import io.sparkfit.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * The evaluate job: a model's metrics on labelled Parquet, computed exactly as the validation pass
 * of training computes them (the same minibatches, evaluator and accumulator), and returned as a
 * {@code metrics.json} block.
 */
public final class Evaluation {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Evaluation() {}

  /**
   * What {@code evaluate} found: the metrics, whether the AUCs are exact, and the model's provenance
   * (where it came from), when the model file has one.
   */
  public record Result(
      MetricValues metrics,
      boolean exactAuc,
      long rowsSkipped,
      Map<String, Long> unseenCategories,
      Optional<String> weightColumn,
      SliceMetrics slices,
      Optional<Provenance> model) {

    /**
     * The {@code metrics.json} block, with {@code "auc-method": "exact"} for exact AUCs, the rows
     * skipped as invalid, per categorical column the rows with a value outside the model's vocabulary
     * ({@code "unseen-categories"}), the column the metrics are weighted by ({@code "weight-column"}, when the
     * model was trained with {@code data.weight-column}), per slice column of the model ({@code metrics.slices})
     * and slice value a block of the same metrics under {@code "slices"}, and the model's provenance under {@code "model"}.
     */
    public ObjectNode toJson() {
      ObjectNode json = metrics.toJson();
      if (exactAuc) {
        json.put("auc-method", "exact");
      }
      weightColumn.ifPresent(w -> json.put("weight-column", w));
      if (!slices.isEmpty()) {
        json.set("slices", slices.toJson());
      }
      if (rowsSkipped > 0) {
        json.put("rows-skipped", rowsSkipped);
      }
      if (!unseenCategories.isEmpty()) {
        json.set("unseen-categories", JSON.valueToTree(unseenCategories));
      }
      model.ifPresent(p -> json.set("model", JSON.valueToTree(p)));
      return json;
    }
  }

  public static Result run(SparkSession spark, TrainedModel model, String data, ScoringConfig config) {
    try {
      return evaluate(spark, model, data, config);
    } catch (Exception e) {
      throw ReadFailures.explain(e, Map.of("--data", data));
    }
  }

  private static Result evaluate(SparkSession spark, TrainedModel model, String data, ScoringConfig config) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Dataset<Row> table = TableReader.read(spark, data, "--data");
    List<String> read = new ArrayList<>(model.featureSpec().columnNames());
    read.add(model.labelColumn().name());
    model.inputs().metricColumns().weightColumn().ifPresent(read::add);
    read.addAll(model.inputs().metricColumns().sliceColumnNames());
    return TableReader.withReadBatches(table, read, () -> evaluateRows(spark, sc, model, data, table, config));
  }

  private static Result evaluateRows(
      SparkSession spark, JavaSparkContext sc, TrainedModel model, String data, Dataset<Row> table, ScoringConfig config) {
    ScoringTable scoring = ScoringTable.of(table, model.inputs(), true, data);
    List<MetricColumns.SliceColumn> sliceColumns = model.inputs().metricColumns().slices();
    // One pass first: invalid rows fail here with a count and an example, before any metric work.
    ScoringTable.RowCheck check = scoring.checkFeatures(config.dropInvalid());
    JavaRDD<org.nd4j.linalg.dataset.api.MultiDataSet> batches =
        scoring.labelledMinibatches(config.batchSize(), config.dropInvalid(), sliceColumns);
    Evaluator unweighted =
        Evaluator.of(
            config.metrics(), model.task(), model.outputs(), model.normalizer().targetShift(), model.normalizer().targetScale());
    // A model trained with data.weight-column is evaluated by the same column: its weights are the minibatches' labels masks.
    Evaluator evaluator = model.inputs().metricColumns().weighted() ? unweighted.weighted() : unweighted;
    // The slices' states come from the same pass and accumulator as the whole table's.
    MetricSet metrics =
        new DistributedEvaluation(sc, evaluator, slicing(sliceColumns), "evaluation", 0).evaluate(model.network(), batches);
    MetricResults results = new MetricResults(config.metrics().names(), model.labelIndex().values());
    MetricValues values = results.values(metrics);
    SliceMetrics slices = sliceMetrics(results, metrics, sliceColumns);
    boolean exact =
        config.exactAuc() && model.labelIndex().kind().isClass() && (config.metrics().wants(Metric.AUC) || config.metrics().wants(Metric.AUC_PR));
    if (exact) {
      values = exactAreas(spark, model, scoring, config, values);
    }
    return new Result(
        values, exact, check.invalid(), check.unseenCategories(), model.inputs().metricColumns().weightColumn(), slices, model.provenance());
  }

  /** The values of each of {@code slices}' slices, from states a {@link #slicing} evaluation kept. */
  public static SliceMetrics sliceMetrics(MetricResults results, MetricSet states, List<MetricColumns.SliceColumn> slices) {
    Map<String, Map<String, MetricValues>> byColumn = new java.util.LinkedHashMap<>();
    for (MetricColumns.SliceColumn slice : slices) {
      byColumn.put(slice.column(), results.slices(states, slice.column(), slice.sliceNames()));
    }
    return new SliceMetrics(byColumn);
  }

  /** Metrics per slice of each of {@code slices}, or none. */
  public static Slicing slicing(List<MetricColumns.SliceColumn> slices) {
    return slices.isEmpty()
        ? Slicing.none()
        : Slicing.byColumns(
            slices.stream().map(MetricColumns.SliceColumn::column).toList(),
            slices.stream().mapToInt(MetricColumns.SliceColumn::sliceCount).toArray());
  }

  /**
   * {@code values} with the histogram AUCs replaced by exact ones, from a distributed sort per class;
   * a weighted model's rows count with their weights, as float32 like its other metrics.
   */
  private static MetricValues exactAreas(
      SparkSession spark, TrainedModel model, ScoringTable scoring, ScoringConfig config, MetricValues values) {
    String label = model.labelColumn().name();
    Optional<String> weightColumn = model.inputs().metricColumns().weightColumn();
    Column weight = weightColumn.map(w -> Features.column(w).cast("float").cast("double")).orElse(functions.lit(1.0));
    // The rows the one-pass metrics counted: a valid weight, valid features and a label.
    Dataset<Row> input =
        scoring
            .table()
            .filter(scoring.validWeight())
            .select(Features.column(label).as("label"), weight.as("weight"), scoring.features().as(ScoringTable.FEATURES));
    input =
        input.filter(
            ScoringTable.validFeatures(functions.col(ScoringTable.FEATURES), model.featureSpec())
                .and(functions.col("label").isNotNull()));
    Dataset<Row> scored = Scoring.score(input, model, Prediction.PREDICTION, Prediction.PROBABILITY, config.batchSize());
    Broadcast<LabelIndex> labels = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model.labelIndex());
    JavaRDD<ExactAuc.Labelled> byClass =
        scored
            .javaRDD()
            .map(r -> new ExactAuc.Labelled(labels.value().indexOf(r.get(0), label), toArray(r.getList(r.length() - 1)), r.getDouble(1)))
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      int classes = model.labelIndex().size();
      List<ExactAuc.Areas> areas = classes == 2 ? List.of(ExactAuc.forClass(byClass, 1)) : ExactAuc.perClass(byClass, classes);
      double roc = areas.stream().mapToDouble(ExactAuc.Areas::roc).filter(Double::isFinite).average().orElse(Double.NaN);
      double pr = areas.stream().mapToDouble(ExactAuc.Areas::pr).filter(Double::isFinite).average().orElse(Double.NaN);
      Optional<double[]> perClass =
          classes > 2 ? Optional.of(areas.stream().mapToDouble(ExactAuc.Areas::roc).toArray()) : Optional.empty();
      return values.withAreas(roc, pr, perClass);
    } finally {
      byClass.unpersist(false);
      labels.destroy();
    }
  }

  private static double[] toArray(List<Object> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).doubleValue();
    }
    return out;
  }
}
