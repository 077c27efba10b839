package io.sparkfit.score;

import io.sparkfit.config.ScoringConfig;
import io.sparkfit.data.LabelIndex;
import io.sparkfit.data.ScoringTable;
import io.sparkfit.data.TableReader;
import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricResults;
import io.sparkfit.metrics.MetricSet;
import io.sparkfit.metrics.spark.DistributedEvaluation;
import io.sparkfit.model.TrainedModel;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The evaluate job: a model's metrics on labelled Parquet, computed exactly as the validation pass
 * of training computes them (the same minibatches, evaluator and accumulator), and returned as a
 * {@code metrics.json} block.
 */
public final class Evaluation {
  private Evaluation() {}

  public static Map<String, Object> run(SparkSession spark, TrainedModel model, String data, ScoringConfig config) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Dataset<Row> table = TableReader.read(spark, data, "--data");
    ScoringTable scoring = ScoringTable.of(table, model.inputs(), true, data);
    JavaRDD<org.nd4j.linalg.dataset.DataSet> batches = scoring.labelledMinibatches(config.batchSize(), config.dropInvalid());
    Evaluator evaluator =
        Evaluator.of(
            config.metrics(), model.task(), model.outputs(), model.normalizer().targetShift(), model.normalizer().targetScale());
    MetricSet metrics = new DistributedEvaluation(sc, evaluator, "evaluation", 0).evaluate(model.network(), batches);
    Map<String, Object> block = new MetricResults(config.metrics().names(), model.labelIndex().values()).block(metrics);
    List<String> names = config.metrics().names();
    if (config.exactAuc() && model.labelIndex().kind().isClass() && (names.contains("auc") || names.contains("auc-pr"))) {
      exactAreas(spark, model, scoring, config, block);
    }
    return block;
  }

  /** Replaces the histogram AUCs in {@code block} with exact ones, from a distributed sort per class. */
  @SuppressWarnings("unchecked")
  private static void exactAreas(
      SparkSession spark, TrainedModel model, ScoringTable scoring, ScoringConfig config, Map<String, Object> block) {
    String label = model.labelColumn().name();
    Dataset<Row> input =
        scoring.table().select(TableReader.column(label).as("label"), scoring.features().as(ScoringTable.FEATURES));
    input =
        input.filter(
            ScoringTable.validFeatures(functions.col(ScoringTable.FEATURES), model.featureSpec().width())
                .and(functions.col("label").isNotNull()));
    Dataset<Row> scored = Scoring.score(input, model, Prediction.PREDICTION, Prediction.PROBABILITY, config.batchSize());
    Broadcast<LabelIndex> labels = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model.labelIndex());
    JavaRDD<Tuple2<Integer, double[]>> byClass =
        scored
            .javaRDD()
            .map(r -> new Tuple2<>(labels.value().indexOf(r.get(0), label), toArray(r.getList(2))))
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      int classes = model.labelIndex().size();
      List<ExactAuc.Areas> areas =
          classes == 2
              ? List.of(ExactAuc.compute(byClass.map(t -> new ExactAuc.Scored(t._2()[1], t._1() == 1))))
              : ExactAuc.perClass(byClass, classes);
      List<String> names = config.metrics().names();
      if (names.contains("auc")) {
        block.put("auc", finite(areas.stream().mapToDouble(ExactAuc.Areas::roc).filter(Double::isFinite).average().orElse(Double.NaN)));
      }
      if (names.contains("auc-pr")) {
        block.put("auc-pr", finite(areas.stream().mapToDouble(ExactAuc.Areas::pr).filter(Double::isFinite).average().orElse(Double.NaN)));
      }
      if (classes > 2 && names.contains("auc") && block.get("per-class") instanceof Map<?, ?> perClass) {
        for (int c = 0; c < classes; c++) {
          Object values = perClass.get(String.valueOf(model.labelIndex().valueAt(c)));
          if (values instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).put("auc", finite(areas.get(c).roc()));
          }
        }
      }
      block.put("auc-method", "exact");
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

  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
