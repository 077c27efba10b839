package io.sparkfit.metrics;

import io.sparkfit.testing.Python;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.config.Metric;
import io.sparkfit.config.Task;
import io.sparkfit.testing.TestMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weighted metrics ({@code data.weight-column}) against scikit-learn's with {@code sample_weight}, run
 * by /usr/bin/python3 on the same rows. Probabilities are multiples of 1/64 summing to exactly 1 (so
 * scikit-learn renormalises nothing, and every distinct score has a histogram bin of its own: logits
 * of neighbouring multiples of 1/64 are at least 0.06 apart, the bins 0.03 wide, so even the
 * histogram AUC equals the exact one), weights multiples of 1/8 including 0: the float32 values the
 * evaluator sees are the doubles scikit-learn reads.
 */
class WeightedMetricsAgainstSklearnTest {
  private static final double TOLERANCE = 1e-9;
  private static final String[] CLASSIFICATION = {
    "accuracy", "precision", "recall", "f1", "precision-micro", "recall-micro", "f1-micro", "precision-weighted",
    "recall-weighted", "f1-weighted", "auc", "log-loss", "confusion-matrix"
  };
  @TempDir Path tmp;

  @Test
  void threeClassesMatchScikitLearn() throws Exception {
    classification(3, 701);
  }

  @Test
  void binaryMatchesScikitLearn() throws Exception {
    classification(2, 503);
  }

  @Test
  void regressionMatchesScikitLearn() throws Exception {
    Random random = new Random(11);
    int n = 617;
    float[] p = new float[n];
    float[] y = new float[n];
    float[] w = weights(random, n);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < n; i++) {
      y[i] = (float) (random.nextGaussian() * 3 + 1);
      p[i] = (float) (y[i] + random.nextGaussian());
      csv.append(String.format(Locale.ROOT, "%s,%s,%s%n", (double) w[i], (double) y[i], (double) p[i]));
    }
    Evaluator evaluator =
        Evaluator.of(TestMetrics.config(List.of("mse", "rmse", "mae", "r2")), Task.REGRESSION, 1, 0, 1).weighted();
    MetricSet set = inSplits(evaluator, p, y, w, 1, 1, n);
    assertThat(inSplits(evaluator, p, y, w, 1, 2, n)).isEqualTo(set);
    assertThat(inSplits(evaluator, p, y, w, 1, 7, n)).isEqualTo(set);
    Map<Metric, Double> ours = new MetricResults(TestMetrics.metrics(List.of("mse", "rmse", "mae", "r2")), List.of()).scalars(set);
    Map<String, Double> sklearn = Python.weightedMetrics(csv, "regression", 1);
    assertThat(ours.get(Metric.MSE)).isCloseTo(sklearn.get("mse"), within(TOLERANCE));
    assertThat(ours.get(Metric.LOSS)).isCloseTo(sklearn.get("mse"), within(TOLERANCE));
    assertThat(ours.get(Metric.RMSE)).isCloseTo(Math.sqrt(sklearn.get("mse")), within(TOLERANCE));
    assertThat(ours.get(Metric.MAE)).isCloseTo(sklearn.get("mae"), within(TOLERANCE));
    assertThat(ours.get(Metric.R2)).isCloseTo(sklearn.get("r2"), within(TOLERANCE));
  }

  @Test
  void unitWeightsGiveTheUnweightedResults() {
    Random random = new Random(5);
    int n = 300;
    int k = 3;
    float[] p = probabilities(random, n, k);
    float[] y = oneHot(random, p, n, k);
    float[] ones = new float[n];
    java.util.Arrays.fill(ones, 1f);
    List<Object> labels = List.of(0, 1, 2);
    MetricResults results = new MetricResults(TestMetrics.metrics(List.of(CLASSIFICATION)), labels);
    Map<Metric, Double> plain = results.scalars(inSplits(TestMetrics.classifier(k, CLASSIFICATION), p, y, null, k, 3, n));
    Map<Metric, Double> weighted = results.scalars(inSplits(TestMetrics.classifier(k, CLASSIFICATION).weighted(), p, y, ones, k, 3, n));
    assertThat(weighted.keySet()).isEqualTo(plain.keySet());
    plain.forEach((metric, v) -> assertThat(weighted.get(metric)).as(metric.key()).isCloseTo(v, within(1e-12)));
  }

  private void classification(int k, int n) throws Exception {
    Random random = new Random(k * 31L + n);
    float[] p = probabilities(random, n, k);
    float[] y = oneHot(random, p, n, k);
    float[] w = weights(random, n);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < n; i++) {
      csv.append((double) w[i]).append(',').append(Evaluator.argMax(y, i * k, k));
      for (int c = 0; c < k; c++) {
        csv.append(',').append((double) p[i * k + c]);
      }
      csv.append('\n');
    }
    Evaluator evaluator = TestMetrics.classifier(k, CLASSIFICATION).weighted();
    MetricSet set = inSplits(evaluator, p, y, w, k, 1, n);
    assertThat(inSplits(evaluator, p, y, w, k, 2, n)).as("2 partitions").isEqualTo(set);
    assertThat(inSplits(evaluator, p, y, w, k, 7, n)).as("7 partitions").isEqualTo(set);
    List<Object> labels = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      labels.add(c);
    }
    MetricResults results = new MetricResults(TestMetrics.metrics(List.of(CLASSIFICATION)), labels);
    Map<Metric, Double> ours = results.scalars(set);
    Map<String, Double> sklearn = Python.weightedMetrics(csv, "classification", k);
    List<MetricValues.ClassValues> perClass = results.values(set).perClass();
    assertThat(perClass).hasSize(k);
    for (int c = 0; c < k; c++) {
      MetricValues.ClassValues v = perClass.get(c);
      String key = "class-" + c + "-";
      assertThat(v.precision()).as(key + "precision").isCloseTo(sklearn.get(key + "precision"), within(TOLERANCE));
      assertThat(v.recall()).as(key + "recall").isCloseTo(sklearn.get(key + "recall"), within(TOLERANCE));
      assertThat(v.f1()).as(key + "f1").isCloseTo(sklearn.get(key + "f1"), within(TOLERANCE));
      assertThat(v.supportWeight()).as(key + "support").hasValueCloseTo(sklearn.get(key + "support"), within(TOLERANCE));
      int cls = c;
      assertThat(v.support()).as(key + "rows").isEqualTo(java.util.stream.IntStream.range(0, n).filter(i -> y[i * k + cls] == 1f).count());
      // Per-class AUCs are shown for more than two classes (for two, the scalar is the positive class's).
      if (k > 2) {
        assertThat(v.auc()).as(key + "auc").hasValueCloseTo(sklearn.get(key + "auc"), within(TOLERANCE));
      } else {
        assertThat(v.auc()).isEmpty();
      }
    }
    for (String name : CLASSIFICATION) {
      Metric metric = Metric.named(name).orElseThrow();
      if (metric.isScalar()) {
        assertThat(ours.get(metric)).as(name).isCloseTo(sklearn.get(name), within(TOLERANCE));
      }
    }
    assertThat(ours.get(Metric.LOSS)).isCloseTo(sklearn.get("log-loss"), within(TOLERANCE));
    double[][] matrix = ((WeightedConfusionMatrixState) set.states().get(Evaluator.CONFUSION)).weights();
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        assertThat(matrix[i][j]).as("cell %d,%d", i, j).isCloseTo(sklearn.get("cell-" + i + "-" + j), within(TOLERANCE));
      }
    }
    assertThat(set.count()).isEqualTo(n);
  }

  /** Rows of {@code k} multiples of 1/64, each at least 1/64, summing to exactly 1. */
  private static float[] probabilities(Random random, int n, int k) {
    float[] p = new float[n * k];
    for (int i = 0; i < n; i++) {
      int left = 64 - k;
      int[] parts = new int[k];
      for (int c = 0; c < k - 1; c++) {
        parts[c] = random.nextInt(left + 1);
        left -= parts[c];
      }
      parts[k - 1] = left;
      List<Integer> shuffled = new ArrayList<>();
      for (int part : parts) {
        shuffled.add(part + 1);
      }
      Collections.shuffle(shuffled, random);
      for (int c = 0; c < k; c++) {
        p[i * k + c] = shuffled.get(c) / 64f;
      }
    }
    return p;
  }

  /** Labels that agree with the most probable class about two times in three. */
  private static float[] oneHot(Random random, float[] p, int n, int k) {
    float[] y = new float[n * k];
    for (int i = 0; i < n; i++) {
      int c = random.nextInt(3) < 2 ? Evaluator.argMax(p, i * k, k) : random.nextInt(k);
      y[i * k + c] = 1f;
    }
    return y;
  }

  private static float[] weights(Random random, int n) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = random.nextInt(25) / 8f;
    }
    return w;
  }

  /**
   * The states of {@code n} rows cut into {@code parts} contiguous parts of random-size minibatches,
   * the parts merged in a shuffled order: what that many partitions give.
   */
  private static MetricSet inSplits(Evaluator evaluator, float[] p, float[] y, float[] w, int k, int parts, int n) {
    int columns = p.length / n;
    int yColumns = y.length / n;
    Random random = new Random(parts);
    List<MetricSet> partStates = new ArrayList<>();
    int start = 0;
    for (int part = 0; part < parts; part++) {
      int end = part == parts - 1 ? n : start + n / parts;
      MetricSet state = MetricSet.empty();
      int at = start;
      while (at < end) {
        int size = Math.min(end - at, 1 + random.nextInt(40));
        float[] pb = java.util.Arrays.copyOfRange(p, at * columns, (at + size) * columns);
        float[] yb = java.util.Arrays.copyOfRange(y, at * yColumns, (at + size) * yColumns);
        float[] wb = w == null ? null : java.util.Arrays.copyOfRange(w, at, at + size);
        state = state.merge(evaluator.evaluate(pb, yb, size, wb));
        at += size;
      }
      partStates.add(state);
      start = end;
    }
    Collections.shuffle(partStates, random);
    MetricSet total = MetricSet.empty();
    for (MetricSet s : partStates) {
      total = total.merge(s);
    }
    return total;
  }
}
