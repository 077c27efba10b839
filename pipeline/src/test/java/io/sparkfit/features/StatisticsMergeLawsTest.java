package io.sparkfit.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.FeatureKind;
import io.sparkfit.config.Imputation;
import java.math.BigDecimal;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRow;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The column states that profiling merges across partitions obey the laws the metric states do:
 * an identity, commutativity and associativity, exactly (not to a tolerance), so vocabularies,
 * fill values and scaling do not depend on how the rows were partitioned.
 */
class StatisticsMergeLawsTest {
  private static final Feature NUMERIC =
      new NumericFeature(FeatureColumn.named("x").withImpute(Imputation.MEDIAN), "double");
  private static final Feature CATEGORICAL = new CategoricalFeature(FeatureColumn.named("c").withKind(FeatureKind.CATEGORICAL), "string");
  private static final Feature ARRAY = new ArrayFeature(FeatureColumn.named("a"), "array<double>", false);
  private static final List<Feature> COLUMNS = List.of(NUMERIC, CATEGORICAL, ARRAY);

  /** Doubles over many magnitudes, where a plain double sum depends on the order. */
  private static Arbitrary<Double> values() {
    return Arbitraries.oneOf(
        Arbitraries.doubles().between(-1e6, 1e6).ofScale(6),
        Arbitraries.doubles().between(-1e-6, 1e-6).ofScale(15),
        Arbitraries.of(0.1, 1e16, -1e16, 3.0, Double.NaN));
  }

  /** A partition's states, as profiling builds them: each row read and added by its columns' kinds. */
  @Provide
  Arbitrary<ColumnStatistics[]> states() {
    Arbitrary<Double> x = values();
    Arbitrary<String> c = Arbitraries.of("red", "green", "blue", "violet", null);
    Arbitrary<double[]> a = values().filter(Double::isFinite).array(double[].class).ofSize(3);
    return Combinators.combine(x.list().ofMaxSize(10), c.list().ofSize(10), a.list().ofSize(10))
        .as(
            (xs, cs, as) -> {
              ColumnStatistics[] p = empty();
              for (int i = 0; i < xs.size(); i++) {
                List<Object> array = java.util.Arrays.stream(as.get(i)).boxed().map(Object.class::cast).toList();
                Row row = new GenericRow(new Object[] {xs.get(i), cs.get(i), scala.collection.JavaConverters.asScalaBuffer(array).toSeq()});
                for (int k = 0; k < COLUMNS.size(); k++) {
                  assertThat(COLUMNS.get(k).invalid(row, k)).isNull();
                  COLUMNS.get(k).add(p[k], () -> "row");
                }
              }
              return p;
            });
  }

  private static ColumnStatistics[] empty() {
    return COLUMNS.stream().map(Feature::newStatistics).toArray(ColumnStatistics[]::new);
  }

  /** Everything a state says, as exact values: equal states describe the same. */
  static String describe(ColumnStatistics[] p) {
    ColumnStatistics.Numeric n = (ColumnStatistics.Numeric) p[0];
    ColumnStatistics.Categorical c = (ColumnStatistics.Categorical) p[1];
    ColumnStatistics.Array a = (ColumnStatistics.Array) p[2];
    List<Object> parts = new ArrayList<>();
    parts.addAll(List.of(n.present, n.missing, n.sum.value(), n.sumSquares.value(), n.min, n.max, n.median.median(), n.median.count()));
    parts.addAll(List.of(new TreeMap<>(c.counts), c.nulls, c.overflowed));
    parts.addAll(List.of(a.lengths, a.count));
    if (a.sum != null) {
      for (int i = 0; i < a.sum.length; i++) {
        parts.addAll(List.of(a.sum[i].value(), a.sumSquares[i].value(), a.min[i], a.max[i]));
      }
    }
    return parts.toString();
  }

  private static ColumnStatistics[] merged(ColumnStatistics[] a, ColumnStatistics[] b) {
    ColumnStatistics[] m = new ColumnStatistics[a.length];
    for (int i = 0; i < a.length; i++) {
      m[i] = a[i].copy().merge(b[i].copy());
    }
    return m;
  }

  @Property(tries = 200)
  void emptyIsTheIdentity(@ForAll("states") ColumnStatistics[] a) {
    assertThat(describe(merged(empty(), a))).isEqualTo(describe(a));
    assertThat(describe(merged(a, empty()))).isEqualTo(describe(a));
  }

  @Property(tries = 200)
  void mergeIsCommutative(@ForAll("states") ColumnStatistics[] a, @ForAll("states") ColumnStatistics[] b) {
    assertThat(describe(merged(a, b))).isEqualTo(describe(merged(b, a)));
  }

  @Property(tries = 200)
  void mergeIsAssociative(
      @ForAll("states") ColumnStatistics[] a, @ForAll("states") ColumnStatistics[] b, @ForAll("states") ColumnStatistics[] c) {
    assertThat(describe(merged(merged(a, b), c))).isEqualTo(describe(merged(a, merged(b, c))));
  }

  @Property(tries = 300)
  void anExactSumIsTheCorrectlyRoundedSumInAnyOrder(@ForAll("finite") @Size(max = 40) List<Double> values) {
    BigDecimal exact = BigDecimal.ZERO;
    for (double v : values) {
      exact = exact.add(new BigDecimal(v));
    }
    List<Double> reversed = new ArrayList<>(values);
    java.util.Collections.reverse(reversed);
    for (List<Double> order : List.of(values, reversed)) {
      ExactSum sum = new ExactSum();
      order.forEach(sum::add);
      assertThat(sum.value()).isEqualTo(exact.doubleValue());
    }
    // Split in two and merged, as two partitions would be.
    ExactSum left = new ExactSum();
    ExactSum right = new ExactSum();
    for (int i = 0; i < values.size(); i++) {
      (i % 2 == 0 ? left : right).add(values.get(i));
    }
    assertThat(right.merge(left).value()).isEqualTo(exact.doubleValue());
  }

  @Provide
  Arbitrary<List<Double>> finite() {
    return values().filter(Double::isFinite).list();
  }

  @Property(tries = 50)
  void theMedianSketchIsWithinItsAccuracyAndSurvivesSerialization(@ForAll("finite") @Size(min = 1, max = 60) List<Double> values)
      throws Exception {
    MedianSketch sketch = new MedianSketch();
    values.forEach(sketch::add);
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sketch.median();
    // DDSketch's median is one of the ranks around the middle, within its relative accuracy.
    double low = sorted[(sorted.length - 1) / 2];
    double high = sorted[sorted.length / 2];
    double tolerance = MedianSketch.RELATIVE_ACCURACY * Math.max(Math.abs(low), Math.abs(high)) + 1e-300;
    assertThat(median).isBetween(Math.min(low, high) - tolerance, Math.max(low, high) + tolerance);

    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(sketch);
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      MedianSketch read = (MedianSketch) in.readObject();
      assertThat(read.median()).isEqualTo(median);
      assertThat(read.count()).isEqualTo(values.size());
    }
  }
}
