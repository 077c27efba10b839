package io.sparkfit.metrics;

import io.sparkfit.nd4j.NetworkOutputs;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.testing.TestMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The merge laws on random states: identity, commutativity and associativity. States are made from
 * random minibatches through the evaluator; losses are multiples of 1/8 so that sums are exact and
 * equality can be exact too.
 */
class MergeLawsTest {
  private static final int CLASSES = 3;
  private static final String[] ALL = {"accuracy", "top-k-accuracy", "f1", "auc", "confusion-matrix"};

  @Provide
  Arbitrary<MetricSet> states() {
    return states(TestMetrics.classifier(CLASSES, ALL));
  }

  /** With 8 AUC bins, histograms turn dense after a couple of examples: both forms get merged. */
  @Provide
  Arbitrary<MetricSet> fewBinStates() {
    return states(
        Evaluator.of(
            new io.sparkfit.config.MetricsConfig(io.sparkfit.config.MetricsConfig.Mode.FULL, TestMetrics.metrics(List.of(ALL)), 1, 8, 2, List.of(), 10),
            io.sparkfit.config.Task.CLASSIFICATION,
            CLASSES,
            0,
            1));
  }

  private Arbitrary<MetricSet> states(Evaluator evaluator) {
    Arbitrary<float[]> row = Arbitraries.floats().between(0.001f, 1f).ofScale(4).array(float[].class).ofSize(CLASSES);
    Arbitrary<Integer> label = Arbitraries.integers().between(0, CLASSES - 1);
    Arbitrary<Integer> lossEighths = Arbitraries.integers().between(0, 80);
    return Combinators.combine(row.list().ofMinSize(0).ofMaxSize(12), label.list().ofSize(12), lossEighths)
        .as(
            (rows, labels, loss) -> {
              if (rows.isEmpty()) {
                return MetricSet.empty();
              }
              float[][] p = new float[rows.size()][];
              float[][] y = new float[rows.size()][CLASSES];
              for (int i = 0; i < rows.size(); i++) {
                float[] r = rows.get(i);
                float sum = r[0] + r[1] + r[2];
                p[i] = new float[] {r[0] / sum, r[1] / sum, r[2] / sum};
                y[i][labels.get(i)] = 1;
              }
              MetricSet set = NetworkOutputs.evaluate(evaluator.withoutLoss(), Nd4j.create(p), Nd4j.create(y));
              return set.with(MetricSet.LOSS, new LossState(loss / 8.0, rows.size()));
            });
  }

  /**
   * Weighted states ({@code data.weight-column}) of random minibatches with arbitrary float weights:
   * their sums are exact, so the laws hold with exact equality whatever the weights' magnitudes.
   */
  @Provide
  Arbitrary<MetricSet> weightedStates() {
    Evaluator evaluator = TestMetrics.classifier(CLASSES, ALL).weighted();
    Arbitrary<float[]> row = Arbitraries.floats().between(0.001f, 1f).ofScale(6).array(float[].class).ofSize(CLASSES);
    Arbitrary<Integer> label = Arbitraries.integers().between(0, CLASSES - 1);
    Arbitrary<Float> weight = Arbitraries.floats().between(0f, 1000f).ofScale(5);
    return Combinators.combine(row.list().ofMinSize(0).ofMaxSize(12), label.list().ofSize(12), weight.list().ofSize(12))
        .as(
            (rows, labels, weights) -> {
              int n = rows.size();
              float[] p = new float[n * CLASSES];
              float[] y = new float[n * CLASSES];
              float[] w = new float[n];
              for (int i = 0; i < n; i++) {
                float[] r = rows.get(i);
                float sum = r[0] + r[1] + r[2];
                for (int c = 0; c < CLASSES; c++) {
                  p[i * CLASSES + c] = r[c] / sum;
                }
                y[i * CLASSES + labels.get(i)] = 1;
                w[i] = weights.get(i);
              }
              return evaluator.evaluate(p, y, n, w);
            });
  }

  @Property(tries = 200)
  void weightedStatesObeyTheLaws(
      @ForAll("weightedStates") MetricSet a, @ForAll("weightedStates") MetricSet b, @ForAll("weightedStates") MetricSet c)
      throws Exception {
    assertThat(a.merge(MetricSet.empty())).isEqualTo(a);
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    assertThat(a.merge(b).count()).isEqualTo(a.count() + b.count());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(a);
    }
  }

  @Property
  void emptyIsTheIdentity(@ForAll("states") MetricSet a) {
    assertThat(a.merge(MetricSet.empty())).isEqualTo(a);
    assertThat(MetricSet.empty().merge(a)).isEqualTo(a);
  }

  @Property
  void mergeIsCommutative(@ForAll("states") MetricSet a, @ForAll("states") MetricSet b) {
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
  }

  @Property
  void mergeIsAssociative(@ForAll("states") MetricSet a, @ForAll("states") MetricSet b, @ForAll("states") MetricSet c) {
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
  }

  @Property
  void lawsHoldAcrossSparseAndDenseHistograms(
      @ForAll("fewBinStates") MetricSet a, @ForAll("fewBinStates") MetricSet b, @ForAll("fewBinStates") MetricSet c) {
    assertThat(a.merge(MetricSet.empty())).isEqualTo(a);
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    assertThat(a.merge(b).count()).isEqualTo(a.count() + b.count());
  }

  @Property
  void countsAdd(@ForAll("states") MetricSet a, @ForAll("states") MetricSet b) {
    assertThat(a.merge(b).count()).isEqualTo(a.count() + b.count());
  }

  @Property(tries = 50)
  void statesSurviveJavaSerialization(@ForAll("states") MetricSet a) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(a);
    }
  }

  @Property(tries = 20)
  void regressionStatesMergeExactlyOnExactValues(@ForAll("regression") List<RegressionState> parts) {
    RegressionState left = RegressionState.EMPTY;
    for (RegressionState s : parts) {
      left = left.merge(s);
    }
    RegressionState right = RegressionState.EMPTY;
    for (int i = parts.size() - 1; i >= 0; i--) {
      right = parts.get(i).merge(right);
    }
    assertThat(left).isEqualTo(right);
  }

  @Provide
  Arbitrary<List<RegressionState>> regression() {
    Arbitrary<Double> eighths = Arbitraries.integers().between(-400, 400).map(i -> i / 8.0);
    return Combinators.combine(Arbitraries.longs().between(0, 50), eighths, eighths, eighths, eighths)
        .as((n, a, b, c, d) -> new RegressionState(n, a, Math.abs(b), Math.abs(c), Math.abs(d)))
        .list()
        .ofMaxSize(6);
  }
}
