package io.sparkfit.metrics;

import io.sparkfit.testing.SparkTied;
import io.sparkfit.nd4j.NetworkOutputs;
import io.sparkfit.testing.Perceptrons;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Task;
import io.sparkfit.config.UpdaterSpec;
import io.sparkfit.metrics.ClassTallies.Average;
import io.sparkfit.metrics.spark.DistributedEvaluation;
import io.sparkfit.model.Network;
import io.sparkfit.model.NetworkFactory;
import io.sparkfit.testing.Batches;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.SyntheticData;
import io.sparkfit.testing.TestMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Sparkfit's metrics, computed on the executors through {@link DistributedEvaluation}, against Spark
 * MLlib's own evaluators on the same predictions, and the same whatever the partitioning.
 */
@SparkTied
class MetricsAgainstMllibTest extends SharedSparkSession {
  private static final int ROWS = 1500;
  private static final int BATCH = 50;

  /** Minibatches of a clusters data set, and a network trained a little on them. */
  private record Fixture(List<DataSet> batches, MultiLayerNetwork network, int classes) {
    INDArray predictions() {
      return network.output(DataSet.merge(batches).getFeatures(), false);
    }

    INDArray labels() {
      return DataSet.merge(batches).getLabels();
    }
  }

  private static Fixture classifier(int classes, long seed) {
    SyntheticData.Points points = SyntheticData.clusters(seed, ROWS, classes, 4, 1.3);
    List<DataSet> batches = new ArrayList<>();
    for (int start = 0; start < ROWS; start += BATCH) {
      float[][] x = new float[BATCH][];
      float[][] y = new float[BATCH][classes];
      for (int i = 0; i < BATCH; i++) {
        x[i] = toFloat(points.features()[start + i]);
        y[i][points.labels()[start + i]] = 1;
      }
      batches.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
    }
    ModelConfig model =
        new ModelConfig(List.of(new LayerSpec.Dense(8, "tanh")), new UpdaterSpec(UpdaterSpec.Type.ADAM, 0.02, 0.9, 0.95), 0, seed);
    MultiLayerNetwork network = Perceptrons.create(model, Task.CLASSIFICATION, 4, classes);
    for (int epoch = 0; epoch < 3; epoch++) {
      batches.forEach(network::fit);
    }
    return new Fixture(batches, network, classes);
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static MetricSet distributed(Fixture f, Evaluator evaluator, int partitions) {
    return new DistributedEvaluation(sc, evaluator, "test", 0)
        .evaluate(Network.of(f.network()), sc.parallelize(Batches.multi(f.batches()), partitions));
  }

  private static List<Tuple2<Object, Object>> predictionAndLabel(INDArray p, INDArray y) {
    List<Tuple2<Object, Object>> pairs = new ArrayList<>();
    for (int i = 0; i < p.rows(); i++) {
      pairs.add(new Tuple2<>((double) p.getRow(i).argMax().getInt(0), (double) y.getRow(i).argMax().getInt(0)));
    }
    return pairs;
  }

  @Test
  void multiclassAgainstMulticlassMetrics() {
    Fixture f = classifier(3, 21);
    String[] names = {"accuracy", "precision", "recall", "f1", "precision-weighted", "recall-weighted", "f1-weighted", "f1-micro"};
    MetricSet ours = distributed(f, TestMetrics.classifier(3, names), 3);
    Map<String, Double> r = TestMetrics.scalars(ours, 3, names);
    MulticlassMetrics mllib = new MulticlassMetrics(sc.parallelize(predictionAndLabel(f.predictions(), f.labels())).rdd());

    assertThat(ours.count()).isEqualTo(ROWS);
    assertThat(r.get("accuracy")).isCloseTo(mllib.accuracy(), within(1e-12));
    assertThat(r.get("f1-micro")).isCloseTo(mllib.accuracy(), within(1e-12));
    assertThat(r.get("precision-weighted")).isCloseTo(mllib.weightedPrecision(), within(1e-12));
    assertThat(r.get("recall-weighted")).isCloseTo(mllib.weightedRecall(), within(1e-12));
    assertThat(r.get("f1-weighted")).isCloseTo(mllib.weightedFMeasure(), within(1e-12));
    ConfusionMatrixState cm = (ConfusionMatrixState) ours.states().get(Evaluator.CONFUSION);
    double macroPrecision = 0;
    double macroF1 = 0;
    for (int c = 0; c < 3; c++) {
      assertThat(cm.precision(c)).isCloseTo(mllib.precision(c), within(1e-12));
      assertThat(cm.recall(c)).isCloseTo(mllib.recall(c), within(1e-12));
      assertThat(cm.f1(c)).isCloseTo(mllib.fMeasure(c), within(1e-12));
      macroPrecision += mllib.precision(c) / 3;
      macroF1 += mllib.fMeasure(c) / 3;
      for (int p = 0; p < 3; p++) {
        assertThat((double) cm.counts()[c][p]).isEqualTo(mllib.confusionMatrix().apply(c, p));
      }
    }
    assertThat(r.get("precision")).isCloseTo(macroPrecision, within(1e-12));
    assertThat(r.get("f1")).isCloseTo(macroF1, within(1e-12));
    assertThat(cm.precision(Average.MACRO)).isCloseTo(macroPrecision, within(1e-12));
  }

  @Test
  void binaryAgainstBinaryClassificationMetrics() {
    Fixture f = classifier(2, 22);
    String[] names = {"auc", "auc-pr", "precision", "recall", "f1"};
    Map<String, Double> r = TestMetrics.scalars(distributed(f, TestMetrics.classifier(2, names), 2), 2, names);
    INDArray p = f.predictions();
    INDArray y = f.labels();
    List<Tuple2<Object, Object>> scoreAndLabel = new ArrayList<>();
    for (int i = 0; i < p.rows(); i++) {
      scoreAndLabel.add(new Tuple2<>((double) p.getFloat(i, 1), (double) y.getFloat(i, 1)));
    }
    BinaryClassificationMetrics exact = new BinaryClassificationMetrics(sc.parallelize(scoreAndLabel).rdd());
    assertThat(r.get("auc")).isCloseTo(exact.areaUnderROC(), within(1e-3));
    assertThat(r.get("auc-pr")).isCloseTo(exact.areaUnderPR(), within(1e-3));
    MulticlassMetrics classes = new MulticlassMetrics(sc.parallelize(predictionAndLabel(p, y)).rdd());
    // The positive class's values, as scikit-learn reports a binary problem.
    assertThat(r.get("precision")).isCloseTo(classes.precision(1.0), within(1e-12));
    assertThat(r.get("recall")).isCloseTo(classes.recall(1.0), within(1e-12));
    assertThat(r.get("f1")).isCloseTo(classes.fMeasure(1.0), within(1e-12));
  }

  @Test
  void aucStaysWithinOneThousandthOfExactOnConfidentScores() {
    // Scores piled up near 0 and 1, as a confident classifier gives them.
    Random random = new Random(5);
    AucState auc = AucState.empty(2, AucState.DEFAULT_BINS);
    List<Tuple2<Object, Object>> scoreAndLabel = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      int label = random.nextInt(2);
      double logit = (label == 1 ? 6 : -6) + 4 * random.nextGaussian();
      float score = (float) (1 / (1 + Math.exp(-logit)));
      auc.add(new float[] {1 - score, score}, label);
      scoreAndLabel.add(new Tuple2<>((double) score, (double) label));
    }
    BinaryClassificationMetrics exact = new BinaryClassificationMetrics(sc.parallelize(scoreAndLabel, 4).rdd());
    assertThat(auc.rocAuc()).isCloseTo(exact.areaUnderROC(), within(1e-3));
    assertThat(auc.prAuc()).isCloseTo(exact.areaUnderPR(), within(1e-3));
  }

  @Test
  void regressionAgainstRegressionMetrics() {
    Random random = new Random(3);
    List<DataSet> batches = new ArrayList<>();
    List<Tuple2<Object, Object>> pairs = new ArrayList<>();
    for (int b = 0; b < 20; b++) {
      float[][] x = new float[BATCH][3];
      float[][] y = new float[BATCH][1];
      for (int i = 0; i < BATCH; i++) {
        for (int j = 0; j < 3; j++) {
          x[i][j] = (float) random.nextGaussian();
        }
        y[i][0] = (float) (x[i][0] - 0.5 * x[i][1] + 0.3 * random.nextGaussian());
      }
      batches.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
    }
    ModelConfig model =
        new ModelConfig(List.of(new LayerSpec.Dense(6, "tanh")), new UpdaterSpec(UpdaterSpec.Type.ADAM, 0.02, 0.9, 0.95), 0, 3);
    MultiLayerNetwork network = Perceptrons.create(model, Task.REGRESSION, 3, 1);
    batches.forEach(network::fit);
    // A target with mean 50 and scale 4 in its own units.
    Evaluator evaluator = Evaluator.of(TestMetrics.config(List.of("mse", "rmse", "mae", "r2")), Task.REGRESSION, 1, 50, 4);
    MetricSet ours = new DistributedEvaluation(sc, evaluator, "test", 0).evaluate(Network.of(network), sc.parallelize(Batches.multi(batches), 3));
    for (DataSet b : batches) {
      INDArray p = network.output(b.getFeatures(), false);
      for (int i = 0; i < p.rows(); i++) {
        pairs.add(new Tuple2<>(p.getFloat(i, 0) * 4.0 + 50, b.getLabels().getFloat(i, 0) * 4.0 + 50));
      }
    }
    RegressionMetrics mllib = new RegressionMetrics(sc.parallelize(pairs).rdd());
    RegressionState r = (RegressionState) ours.states().get(Evaluator.REGRESSION);
    assertThat(r.n()).isEqualTo(1000);
    assertThat(r.mse()).isCloseTo(mllib.meanSquaredError(), within(1e-9 * mllib.meanSquaredError()));
    assertThat(r.rmse()).isCloseTo(mllib.rootMeanSquaredError(), within(1e-9));
    assertThat(r.mae()).isCloseTo(mllib.meanAbsoluteError(), within(1e-9));
    assertThat(r.r2()).isCloseTo(mllib.r2(), within(1e-9));
  }

  @Test
  void identicalResultsWithOneTwoAndSevenPartitions() {
    Fixture f = classifier(3, 23);
    Evaluator evaluator = TestMetrics.classifier(3, "accuracy", "top-k-accuracy", "f1", "auc", "auc-pr", "confusion-matrix");
    MetricSet local = MetricSet.empty();
    for (DataSet b : f.batches()) {
      local = local.merge(NetworkOutputs.evaluate(evaluator, f.network().output(b.getFeatures(), false), b.getLabels()));
    }
    for (int partitions : new int[] {1, 2, 7}) {
      MetricSet d = distributed(f, evaluator, partitions);
      assertThat(d.count()).isEqualTo(ROWS);
      for (String key : List.of(Evaluator.ACCURACY, Evaluator.TOP_K, Evaluator.CONFUSION, Evaluator.AUC)) {
        assertThat(d.states().get(key)).as("%s with %d partitions", key, partitions).isEqualTo(local.states().get(key));
      }
      LossState loss = (LossState) d.states().get(MetricSet.LOSS);
      assertThat(loss.count()).isEqualTo(ROWS);
      assertThat(loss.sum()).isCloseTo(((LossState) local.states().get(MetricSet.LOSS)).sum(), within(1e-9));
    }
  }

}
