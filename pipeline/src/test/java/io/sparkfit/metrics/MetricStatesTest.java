package io.sparkfit.metrics;

import io.sparkfit.nd4j.NetworkOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.config.Task;
import io.sparkfit.metrics.ClassTallies.Average;
import io.sparkfit.testing.TestMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Each metric on small cases computed by hand. */
class MetricStatesTest {
  private static final double EPS = 1e-12;

  /** counts[actual][predicted] = {{5,1,0},{2,3,1},{0,2,6}}. */
  private static ConfusionMatrixState threeClasses() {
    int[][] counts = {{5, 1, 0}, {2, 3, 1}, {0, 2, 6}};
    List<int[]> pairs = new java.util.ArrayList<>();
    for (int a = 0; a < 3; a++) {
      for (int p = 0; p < 3; p++) {
        for (int i = 0; i < counts[a][p]; i++) {
          pairs.add(new int[] {a, p});
        }
      }
    }
    return ConfusionMatrixState.of(
        3, pairs.stream().mapToInt(x -> x[0]).toArray(), pairs.stream().mapToInt(x -> x[1]).toArray());
  }

  @Test
  void confusionMatrixPerClassAndAverages() {
    ConfusionMatrixState cm = threeClasses();
    assertThat(cm.count()).isEqualTo(20);
    assertThat(cm.precision(0)).isCloseTo(5.0 / 7, within(EPS));
    assertThat(cm.recall(0)).isCloseTo(5.0 / 6, within(EPS));
    assertThat(cm.f1(0)).isCloseTo(10.0 / 13, within(EPS));
    assertThat(cm.precision(1)).isCloseTo(0.5, within(EPS));
    assertThat(cm.recall(1)).isCloseTo(0.5, within(EPS));
    assertThat(cm.f1(2)).isCloseTo(0.8, within(EPS));
    assertThat(cm.rows(2)).isEqualTo(8);

    assertThat(cm.precision(Average.MACRO)).isCloseTo((5.0 / 7 + 0.5 + 6.0 / 7) / 3, within(EPS));
    assertThat(cm.recall(Average.MACRO)).isCloseTo((5.0 / 6 + 0.5 + 0.75) / 3, within(EPS));
    assertThat(cm.f1(Average.MACRO)).isCloseTo((10.0 / 13 + 0.5 + 0.8) / 3, within(EPS));
    assertThat(cm.precision(Average.MICRO)).isCloseTo(0.7, within(EPS));
    assertThat(cm.f1(Average.MICRO)).isCloseTo(0.7, within(EPS));
    assertThat(cm.precision(Average.WEIGHTED)).isCloseTo((5.0 / 7 * 6 + 0.5 * 6 + 6.0 / 7 * 8) / 20, within(EPS));
    assertThat(cm.recall(Average.WEIGHTED)).isCloseTo(0.7, within(EPS));
  }

  @Test
  void aClassNeverPredictedHasPrecisionZero() {
    ConfusionMatrixState cm = ConfusionMatrixState.of(3, new int[] {0, 1, 2}, new int[] {0, 0, 2});
    assertThat(cm.precision(1)).isZero();
    assertThat(cm.recall(1)).isZero();
    assertThat(cm.f1(1)).isZero();
  }

  @Test
  void binaryMetricsAreThoseOfThePositiveClass() {
    // actual:    1 1 1 0 0 0 0
    // predicted: 1 1 0 1 0 0 0
    ConfusionMatrixState cm = ConfusionMatrixState.of(2, new int[] {1, 1, 1, 0, 0, 0, 0}, new int[] {1, 1, 0, 1, 0, 0, 0});
    MetricSet set = MetricSet.of(Evaluator.CONFUSION, cm);
    Map<String, Double> r = TestMetrics.scalars(set, 2, "precision", "recall", "f1", "f1-weighted");
    assertThat(r.get("precision")).isCloseTo(2.0 / 3, within(EPS));
    assertThat(r.get("recall")).isCloseTo(2.0 / 3, within(EPS));
    assertThat(r.get("f1")).isCloseTo(2.0 / 3, within(EPS));
    assertThat(r.get("f1-weighted")).isCloseTo((0.75 * 4 + 2.0 / 3 * 3) / 7, within(EPS));
  }

  private static AucState binaryAuc(double[] positives, double[] negatives) {
    AucState auc = AucState.empty(2, AucState.DEFAULT_BINS);
    for (double p : positives) {
      auc.add(new float[] {(float) (1 - p), (float) p}, 1);
    }
    for (double n : negatives) {
      auc.add(new float[] {(float) (1 - n), (float) n}, 0);
    }
    return auc;
  }

  @Test
  void aucRocAndPrOnDistinctScores() {
    AucState auc = binaryAuc(new double[] {0.9, 0.8, 0.4}, new double[] {0.7, 0.3, 0.2});
    // 8 of the 9 (positive, negative) pairs are ordered right.
    assertThat(auc.rocAuc()).isCloseTo(8.0 / 9, within(EPS));
    // PR points (recall, precision): (0,1) (1/3,1) (2/3,1) (2/3,2/3) (1,3/4) (1,3/5) (1,1/2), trapezoids.
    assertThat(auc.prAuc()).isCloseTo(65.0 / 72, within(EPS));
    assertThat(auc.count()).isEqualTo(6);
  }

  @Test
  void tiedScoresCountHalf() {
    AucState auc = binaryAuc(new double[] {0.6, 0.6}, new double[] {0.6, 0.1});
    // Pairs: (0.6,0.6) twice tied = 1, (0.6,0.1) twice right = 2: (1 + 2) / 4.
    assertThat(auc.rocAuc()).isCloseTo(0.75, within(EPS));
  }

  @Test
  void aucWithoutBothClassesIsUndefined() {
    assertThat(binaryAuc(new double[] {0.6}, new double[] {}).rocAuc()).isNaN();
    assertThat(AucState.empty(3, 10).rocAuc()).isNaN();
  }

  @Test
  void topKAccuracyAndLogLoss() {
    var p = Nd4j.create(new float[][] {{0.5f, 0.3f, 0.2f}, {0.1f, 0.3f, 0.6f}, {0.2f, 0.5f, 0.3f}});
    var y = Nd4j.create(new float[][] {{0, 1, 0}, {1, 0, 0}, {1, 0, 0}});
    MetricSet set = NetworkOutputs.evaluate(TestMetrics.classifier(3, "accuracy", "top-k-accuracy", "log-loss"), p, y);
    Map<String, Double> r = TestMetrics.scalars(set, 3, "accuracy", "top-k-accuracy", "log-loss");
    assertThat(r.get("accuracy")).isZero();
    // k = 2: class 1 is second in row 0; class 0 is third in row 1 and in row 2.
    assertThat(r.get("top-k-accuracy")).isCloseTo(1.0 / 3, within(EPS));
    double logLoss = -(Math.log(0.3f) + Math.log(0.1f) + Math.log(0.2f)) / 3;
    assertThat(r.get("log-loss")).isCloseTo(logLoss, within(1e-6));
    assertThat(r.get("loss")).isEqualTo(r.get("log-loss"));
  }

  @Test
  void regressionErrorsAreInTheTargetsOwnUnits() {
    // Network outputs in standardised units; the target has mean 100 and scale 10.
    var p = Nd4j.create(new float[][] {{0.5f}, {-1f}, {0f}, {2f}});
    var y = Nd4j.create(new float[][] {{0f}, {-1f}, {1f}, {1f}});
    Evaluator e = Evaluator.of(TestMetrics.config(List.of("mse", "rmse", "mae", "r2")), Task.REGRESSION, 1, 100, 10);
    MetricSet m = NetworkOutputs.evaluate(e, p, y);
    RegressionState r = (RegressionState) m.states().get(Evaluator.REGRESSION);
    // Errors in target units: 5, 0, -10, 10.
    assertThat(r.mse()).isCloseTo(225 / 4.0, within(EPS));
    assertThat(r.rmse()).isCloseTo(Math.sqrt(225 / 4.0), within(EPS));
    assertThat(r.mae()).isCloseTo(25 / 4.0, within(EPS));
    double meanY = (100 + 90 + 110 + 110) / 4.0;
    double ssTot = Math.pow(100 - meanY, 2) + Math.pow(90 - meanY, 2) + 2 * Math.pow(110 - meanY, 2);
    assertThat(r.r2()).isCloseTo(1 - 225 / ssTot, within(1e-9));
    assertThat(((LossState) m.states().get(MetricSet.LOSS)).mean()).isCloseTo(225 / 4.0, within(EPS));
  }

  @Test
  void maskedExamplesAreLeftOut() {
    var p = Nd4j.create(new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.7f, 0.3f}});
    var y = Nd4j.create(new float[][] {{1, 0}, {1, 0}, {0, 1}});
    Evaluator e = TestMetrics.classifier(2, "accuracy", "confusion-matrix");
    MetricSet masked = NetworkOutputs.evaluate(e, p, y, Nd4j.create(new float[][] {{1}, {0}, {1}}));
    MetricSet kept = NetworkOutputs.evaluate(e, p.getRows(0, 2), y.getRows(0, 2));
    assertThat(masked).isEqualTo(kept);
    assertThat(masked.count()).isEqualTo(2);
    assertThat(NetworkOutputs.evaluate(e, p, y, Nd4j.zeros(3, 1))).isEqualTo(MetricSet.empty());
  }

  @Test
  void onlyTheMetricsAskedForAreComputed() {
    var p = Nd4j.create(new float[][] {{0.9f, 0.1f}});
    var y = Nd4j.create(new float[][] {{1, 0}});
    assertThat(NetworkOutputs.evaluate(TestMetrics.classifier(2), p, y).states()).containsOnlyKeys("loss");
    assertThat(NetworkOutputs.evaluate(TestMetrics.classifier(2, "f1", "auc"), p, y).states())
        .containsOnlyKeys("loss", "confusion-matrix", "auc");
    assertThat(NetworkOutputs.evaluate(TestMetrics.classifier(2, "accuracy").withoutLoss(), p, y).states()).containsOnlyKeys("accuracy");
  }
}
