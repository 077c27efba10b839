package io.sparkfit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.testing.TestMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Slicing#byColumns}: one evaluation of a minibatch gives the whole minibatch's states and, per
 * slice column, each slice's states equal to evaluating that slice's rows alone; and states of
 * minibatches merged slice by slice equal those of the rows together. Weighted states sum exactly, so
 * equality is exact.
 */
class SlicingTest {
  private static final int CLASSES = 3;
  private static final String[] ALL = {"accuracy", "top-k-accuracy", "f1", "auc", "confusion-matrix"};
  private static final int[] SLICES = {4, 3};
  private static final Slicing SLICING = Slicing.byColumns(List.of("country", "plan"), SLICES);

  /** Random rows of a 3-class classifier: probabilities, one-hot labels, weights and two slice indices. */
  private record Rows(float[] p, float[] y, float[] w, List<int[]> slices, int n) {
    static Rows random(long seed, int n) {
      Random random = new Random(seed);
      float[] p = new float[n * CLASSES];
      float[] y = new float[n * CLASSES];
      float[] w = new float[n];
      List<int[]> slices = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        float a = random.nextFloat() + 0.01f;
        float b = random.nextFloat() + 0.01f;
        float c = random.nextFloat() + 0.01f;
        float sum = a + b + c;
        p[i * CLASSES] = a / sum;
        p[i * CLASSES + 1] = b / sum;
        p[i * CLASSES + 2] = c / sum;
        y[i * CLASSES + random.nextInt(CLASSES)] = 1;
        w[i] = random.nextInt(9) / 4f;
        // Slice 2 of the first column stays empty: an empty slice has empty states.
        int country = random.nextInt(3);
        slices.add(new int[] {country == 2 ? 3 : country, random.nextInt(SLICES[1])});
      }
      return new Rows(p, y, w, slices, n);
    }

    Rows range(int from, int to) {
      return new Rows(
          Arrays.copyOfRange(p, from * CLASSES, to * CLASSES),
          Arrays.copyOfRange(y, from * CLASSES, to * CLASSES),
          Arrays.copyOfRange(w, from, to),
          slices.subList(from, to),
          to - from);
    }

    /** The rows whose index in slice column {@code column} is {@code slice}, in order. */
    Rows of(int column, int slice) {
      List<Integer> kept = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (slices.get(i)[column] == slice) {
          kept.add(i);
        }
      }
      float[] ps = new float[kept.size() * CLASSES];
      float[] ys = new float[kept.size() * CLASSES];
      float[] ws = new float[kept.size()];
      for (int k = 0; k < kept.size(); k++) {
        System.arraycopy(p, kept.get(k) * CLASSES, ps, k * CLASSES, CLASSES);
        System.arraycopy(y, kept.get(k) * CLASSES, ys, k * CLASSES, CLASSES);
        ws[k] = w[kept.get(k)];
      }
      return new Rows(ps, ys, ws, List.of(), kept.size());
    }

    MetricSet evaluate(Evaluator evaluator) {
      return evaluator.evaluate(p, y, n, w);
    }

    MetricSet sliced(Evaluator evaluator) {
      return SLICING.evaluate(evaluator, p, y, n, w, slices);
    }
  }

  private static Evaluator weighted() {
    return TestMetrics.classifier(CLASSES, ALL).weighted();
  }

  @Property(tries = 50)
  void eachSliceHoldsTheStatesOfItsRowsAlone(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int n) {
    Rows rows = Rows.random(seed, n);
    MetricSet sliced = rows.sliced(weighted());
    // The whole minibatch's states are there as without slicing, beside one SliceStates per column.
    MetricSet whole = MetricSet.empty();
    for (Map.Entry<String, MetricState> e : sliced.states().entrySet()) {
      if (!e.getKey().startsWith("slices/")) {
        whole = whole.with(e.getKey(), e.getValue());
      }
    }
    assertThat(whole).isEqualTo(rows.evaluate(weighted()));
    assertThat(sliced.states().keySet()).contains(Slicing.key("country"), Slicing.key("plan"));
    for (int c = 0; c < SLICES.length; c++) {
      SliceStates states = (SliceStates) sliced.states().get(Slicing.key(c == 0 ? "country" : "plan"));
      assertThat(states.slices()).isEqualTo(SLICES[c]);
      assertThat(states.count()).isEqualTo(n);
      for (int s = 0; s < SLICES[c]; s++) {
        assertThat(states.slice(s)).as("column %d, slice %d", c, s).isEqualTo(rows.of(c, s).evaluate(weighted()));
      }
    }
    assertThat(((SliceStates) sliced.states().get(Slicing.key("country"))).slice(2).isEmpty()).isTrue();
  }

  @Property(tries = 50)
  void minibatchesMergedSliceBySliceEqualTheirRowsTogether(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 40) int n, @ForAll @IntRange(min = 1, max = 39) int cut) {
    Rows rows = Rows.random(seed, n);
    int at = Math.min(cut, n - 1);
    MetricSet merged = rows.range(0, at).sliced(weighted()).merge(rows.range(at, n).sliced(weighted()));
    assertThat(merged).isEqualTo(rows.sliced(weighted()));
  }

  @Test
  void resultsNameEverySliceAndCountItsRows() {
    Rows rows = Rows.random(7, 30);
    MetricResults results = new MetricResults(TestMetrics.metrics(List.of(ALL)), List.of("a", "b", "c"));
    MetricSet sliced = rows.sliced(weighted());
    Map<String, MetricValues> plan = results.slices(sliced, "plan", List.of("basic", "pro", "(other)"));
    assertThat(plan).containsOnlyKeys("basic", "pro", "(other)");
    assertThat(plan.values().stream().mapToLong(MetricValues::count).sum()).isEqualTo(30);
    assertThat(plan.get("pro")).isEqualTo(results.values(rows.of(1, 1).evaluate(weighted())));
    assertThatThrownBy(() -> results.slices(sliced, "region", List.of("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'region'");
  }

  @Test
  void aMinibatchWithoutItsSliceIndicesIsRefused() {
    Rows rows = Rows.random(3, 5);
    assertThatThrownBy(() -> SLICING.evaluate(weighted(), rows.p(), rows.y(), 5, rows.w(), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("5 rows carries no slice indices");
  }

  @Test
  void noSlicingIsTheEvaluatorAlone() {
    Rows rows = Rows.random(11, 20);
    assertThat(Slicing.none().evaluate(weighted(), rows.p(), rows.y(), 20, rows.w(), null)).isEqualTo(rows.evaluate(weighted()));
  }
}
