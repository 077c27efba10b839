package io.sparkfit.metrics;

import io.sparkfit.features.ExactSum;
import java.util.HashMap;
import java.util.Map;

/**
 * AUC-ROC and AUC-PR over weighted examples ({@code data.weight-column}): the threshold histograms of
 * {@link AucState} (the same bins, uniform in the logit), whose cells hold the exact sum of their
 * examples' weights instead of a count, so the areas are those of the weighted ROC and PR curves up to
 * the bin width, whatever the split. Only the cells that hold examples are kept.
 */
public final class WeightedAucState implements MetricState, CurveAreas {
  private static final long serialVersionUID = 1L;
  private final int bins;
  private final int[] scoredClasses;
  /** Cell {@code (scored index * bins + bin) * 2 + (1 if positive)} to its summed weight. */
  private final HashMap<Integer, ExactSum> cells;
  private long count;

  private WeightedAucState(int bins, int[] scoredClasses, HashMap<Integer, ExactSum> cells, long count) {
    this.bins = bins;
    this.scoredClasses = scoredClasses;
    this.cells = cells;
    this.count = count;
  }

  /** An empty state for {@code classes} classes, scored as {@link AucState#empty} scores them. */
  public static WeightedAucState empty(int classes, int bins) {
    return new WeightedAucState(bins, AucState.scoredClasses(classes, bins), new HashMap<>(), 0);
  }

  /**
   * Adds one example: its class probabilities, actual class and weight. Only for a state not yet
   * shared, as {@link AucState#add}: the champion/challenger comparison fills one per partition.
   */
  public WeightedAucState add(float[] probabilities, int actual, double weight) {
    return add(probabilities, 0, actual, weight);
  }

  /** Adds one example whose class probabilities start at {@code offset}. */
  private WeightedAucState add(float[] probabilities, int offset, int actual, double weight) {
    for (int s = 0; s < scoredClasses.length; s++) {
      int c = scoredClasses[s];
      int cell = (s * bins + AucState.bin(probabilities[offset + c], bins)) * 2 + (actual == c ? 1 : 0);
      cells.computeIfAbsent(cell, x -> new ExactSum()).add(weight);
    }
    count++;
    return this;
  }

  /** The state of {@code n} examples' class probabilities (rows of {@code k} from 0) and weights. */
  static WeightedAucState of(int classes, int bins, float[] p, int k, int[] actual, float[] weights, int n) {
    WeightedAucState state = empty(classes, bins);
    for (int i = 0; i < n; i++) {
      state.add(p, i * k, actual[i], weights[i]);
    }
    return state;
  }

  @Override
  public WeightedAucState merge(MetricState other) {
    WeightedAucState o = (WeightedAucState) other;
    if (o.bins != bins || !java.util.Arrays.equals(o.scoredClasses, scoredClasses)) {
      throw new IllegalArgumentException("Cannot merge AUC histograms of different shapes");
    }
    HashMap<Integer, ExactSum> merged = new HashMap<>();
    cells.forEach((cell, w) -> merged.put(cell, w.copy()));
    o.cells.forEach((cell, w) -> merged.merge(cell, w.copy(), ExactSum::merge));
    return new WeightedAucState(bins, scoredClasses, merged, count + o.count);
  }

  @Override
  public int bins() {
    return bins;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public double rocAuc() {
    return macro(true);
  }

  @Override
  public double prAuc() {
    return macro(false);
  }

  @Override
  public double rocAuc(int classIndex) {
    for (int s = 0; s < scoredClasses.length; s++) {
      if (scoredClasses[s] == classIndex) {
        return area(s, true);
      }
    }
    throw new IllegalArgumentException("Class " + classIndex + " is not scored");
  }

  private double macro(boolean roc) {
    double sum = 0;
    int defined = 0;
    for (int s = 0; s < scoredClasses.length; s++) {
      double a = area(s, roc);
      if (!Double.isNaN(a)) {
        sum += a;
        defined++;
      }
    }
    return defined == 0 ? Double.NaN : sum / defined;
  }

  private double area(int s, boolean roc) {
    double[] positives = new double[bins];
    double[] negatives = new double[bins];
    for (Map.Entry<Integer, ExactSum> e : cells.entrySet()) {
      int cell = e.getKey() >>> 1;
      if (cell / bins == s) {
        (((e.getKey() & 1) == 1) ? positives : negatives)[cell % bins] = e.getValue().value();
      }
    }
    return AucState.area(positives, negatives, roc);
  }

  private Map<Integer, Double> values() {
    Map<Integer, Double> out = new java.util.TreeMap<>();
    cells.forEach((cell, w) -> out.put(cell, w.value()));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightedAucState other
        && bins == other.bins
        && count == other.count
        && java.util.Arrays.equals(scoredClasses, other.scoredClasses)
        && values().equals(other.values());
  }

  @Override
  public int hashCode() {
    return values().hashCode() * 31 + bins;
  }

  @Override
  public String toString() {
    return "WeightedAucState[bins=" + bins + ", count=" + count + "]";
  }
}
