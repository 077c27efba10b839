package io.sparkfit.profile;

import io.sparkfit.config.Normalization;
import io.sparkfit.features.Feature;
import io.sparkfit.features.FittedColumn;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the training rows teach the feature columns, from their profile: each column's fitted input
 * (fill value, vocabulary, length: the {@link FeatureSpec}), the scaling of every network input (the
 * {@link Normalizer}), and the per-column summary for provenance and the report; each kind fits its
 * own column ({@link Feature#fit}), and fails naming the column when it cannot be learned.
 */
public record FeatureFit(FeatureSpec spec, Normalizer normalizer, List<ColumnSummary> summary) {

  /**
   * @param train the training rows' profile (vocabularies and statistics come from it)
   * @param source names the data in messages, e.g. {@code data.train}
   */
  public static FeatureFit fit(List<Feature> features, DataProfile train, Normalization kind, boolean regression, String source) {
    List<InputColumn> inputs = new ArrayList<>();
    List<ColumnSummary> summary = new ArrayList<>();
    List<double[]> shifts = new ArrayList<>();
    List<double[]> scales = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      FittedColumn fitted = features.get(i).fit(train.columns[i], kind, source);
      inputs.add(fitted.input());
      summary.add(fitted.summary());
      shifts.add(fitted.shift());
      scales.add(fitted.scale());
    }
    double[] shift = concat(shifts);
    double[] scale = concat(scales);
    double targetShift = 0;
    double targetScale = 1;
    if (regression) {
      long n = train.validRows();
      double mean = train.targetSum.value() / n;
      double std = Math.sqrt(Math.max(0.0, train.targetSumSquares.value() / n - mean * mean));
      targetShift = mean;
      targetScale = std > 1e-12 * Math.max(1.0, Math.abs(mean)) ? std : 1.0;
    }
    return new FeatureFit(new FeatureSpec(inputs), new Normalizer(kind, shift, scale, targetShift, targetScale), summary);
  }

  private static double[] concat(List<double[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    double[] all = new double[n];
    int at = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
