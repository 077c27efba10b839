package io.sparkfit.data;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.Imputation;
import io.sparkfit.config.Normalization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the training rows teach the feature columns, from their profile: each column's fill value or
 * vocabulary (the {@link FeatureSpec}), the scaling of every network input (the {@link Normalizer}),
 * and the per-column summary for provenance and the report. Fails naming the column when a column
 * cannot be learned: entirely null, or more distinct values than allowed.
 */
record FeatureFit(FeatureSpec spec, Normalizer normalizer, List<ColumnSummary> summary) {
  private static final int TOP_VALUES = 10;

  /**
   * @param train the training rows' profile (vocabularies and statistics come from it)
   * @param source names the data in messages, e.g. {@code data.train}
   */
  static FeatureFit fit(List<SourceColumn> sources, DataProfile train, Normalization kind, boolean regression, String source) {
    List<InputColumn> inputs = new ArrayList<>();
    List<ColumnSummary> summary = new ArrayList<>();
    List<double[]> shifts = new ArrayList<>();
    List<double[]> scales = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      SourceColumn column = sources.get(i);
      ColumnProfile profile = train.columns[i];
      if (profile instanceof ColumnProfile.Numeric numeric) {
        fitNumeric(column, numeric, kind, source, inputs, summary, shifts, scales);
      } else if (profile instanceof ColumnProfile.Categorical categorical) {
        InputColumn.Categorical input = vocabulary(column, categorical, source);
        inputs.add(input);
        long inVocabulary = input.vocabulary().stream().mapToLong(v -> categorical.counts.get(v)).sum();
        List<ColumnSummary.ValueCount> top =
            input.vocabulary().stream()
                .limit(TOP_VALUES)
                .map(v -> new ColumnSummary.ValueCount(v, categorical.counts.get(v)))
                .toList();
        summary.add(
            ColumnSummary.categorical(
                column.name(), column.sqlType(), categorical.nulls, categorical.counts.size(), input.vocabulary().size(), top,
                categorical.present() - inVocabulary));
        shifts.add(new double[input.width()]);
        scales.add(ones(input.width()));
      } else {
        ColumnProfile.Array array = (ColumnProfile.Array) profile;
        int length = array.sum.length;
        if (array instanceof ColumnProfile.Sequence sequence) {
          inputs.add(new InputColumn.Sequence(column.name(), length));
          summary.add(ColumnSummary.sequence(column.name(), column.sqlType(), length, sequence.fewestSteps, sequence.mostSteps));
        } else {
          List<Integer> shape = column.config().shape();
          InvalidInputException.check(
              shape.isEmpty() || column.config().shapeSize() == length,
              "Invalid shape of data.features '%s': %s makes %d values, but column '%s' in %s holds arrays of %d",
              column.name(), shape, column.config().shapeSize(), column.name(), source, length);
          inputs.add(new InputColumn.Array(column.name(), length, shape));
          summary.add(ColumnSummary.array(column.name(), column.sqlType(), length));
        }
        double[] shift = new double[length];
        double[] scale = new double[length];
        for (int j = 0; j < length; j++) {
          double[] s =
              scaling(kind, array.count, array.sum[j].value(), array.sumSquares[j].value(), array.min[j], array.max[j]);
          shift[j] = s[0];
          scale[j] = s[1];
        }
        shifts.add(shift);
        scales.add(scale);
      }
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

  private static void fitNumeric(
      SourceColumn column,
      ColumnProfile.Numeric numeric,
      Normalization kind,
      String source,
      List<InputColumn> inputs,
      List<ColumnSummary> summary,
      List<double[]> shifts,
      List<double[]> scales) {
    FeatureColumn config = column.config();
    InvalidInputException.check(
        numeric.present > 0,
        "feature column '%s' in %s has no values: all %d rows are null or NaN (leave it out of data.features)",
        column.name(),
        source,
        numeric.missing);
    double mean = numeric.sum.value() / numeric.present;
    double std = Math.sqrt(Math.max(0.0, numeric.sumSquares.value() / numeric.present - mean * mean));
    Double fill =
        switch (config.impute()) {
          case MEAN -> mean;
          case MEDIAN -> numeric.median.median();
          case CONSTANT -> config.constant();
          case NONE -> null;
        };
    inputs.add(new InputColumn.Numeric(column.name(), fill, config.missingIndicator()));
    summary.add(
        ColumnSummary.numeric(
            column.name(), column.sqlType(), numeric.missing, mean, std, numeric.min, numeric.max,
            config.impute().name().toLowerCase(Locale.ROOT), fill, config.missingIndicator()));
    // Scaling is fitted on the values as the network sees them, gaps filled, as a scaler after an
    // imputer would: the sums of the filled values follow from the counts without a second pass.
    long missing = fill == null ? 0 : numeric.missing;
    double f = fill == null ? 0 : fill;
    ExactSum sum = numeric.sum.copy();
    ExactSum sumSquares = numeric.sumSquares.copy();
    sum.add(missing * f);
    sumSquares.add(missing * f * f);
    double min = missing > 0 ? Math.min(numeric.min, f) : numeric.min;
    double max = missing > 0 ? Math.max(numeric.max, f) : numeric.max;
    double[] s = scaling(kind, numeric.present + missing, sum.value(), sumSquares.value(), min, max);
    if (config.missingIndicator()) {
      shifts.add(new double[] {s[0], 0});
      scales.add(new double[] {s[1], 1});
    } else {
      shifts.add(new double[] {s[0]});
      scales.add(new double[] {s[1]});
    }
  }

  /** {shift, scale} of one input; a constant input gets scale 1, so it maps to 0 rather than NaN. */
  private static double[] scaling(Normalization kind, long n, double sum, double sumSquares, double min, double max) {
    return switch (kind) {
      case NONE -> new double[] {0, 1};
      case STANDARD -> {
        double mean = sum / n;
        // Population variance, as DL4J's NormalizerStandardize and Spark's StandardScaler (with
        // withMean) would give up to n/(n-1); clamp tiny negatives from rounding.
        double std = Math.sqrt(Math.max(0.0, sumSquares / n - mean * mean));
        yield new double[] {mean, std > 1e-12 * Math.max(1.0, Math.abs(mean)) ? std : 1.0};
      }
      case MIN_MAX -> {
        double range = max - min;
        yield new double[] {min, range > 0 ? range : 1.0};
      }
    };
  }

  /**
   * The vocabulary: values in at least {@code min-frequency} rows, most frequent first (ties by
   * value, so it does not depend on the partitioning), at most {@code max-categories} of them.
   */
  private static InputColumn.Categorical vocabulary(SourceColumn column, ColumnProfile.Categorical profile, String source) {
    FeatureColumn config = column.config();
    InvalidInputException.check(
        !profile.overflowed,
        "feature column '%s' in %s has more than %d distinct values: too many for a categorical column (leave it out of data.features)",
        column.name(),
        source,
        FeatureColumn.COUNT_LIMIT);
    InvalidInputException.check(
        !profile.counts.isEmpty(),
        "feature column '%s' in %s has no values: all %d rows are null (leave it out of data.features)",
        column.name(),
        source,
        profile.nulls);
    List<String> kept =
        profile.counts.entrySet().stream()
            .filter(e -> e.getValue() >= config.minFrequency())
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey)
            .toList();
    if (config.cap().isPresent()) {
      kept = kept.subList(0, Math.min(kept.size(), config.cap().getAsInt()));
    } else {
      InvalidInputException.check(
          kept.size() <= config.maxDistinct(),
          "feature column '%s' in %s has %d distinct values, more than max-distinct = %d, e.g. '%s' (set max-categories "
              + "on it to keep the most frequent and fold the rest into \"other\", or raise max-distinct)",
          column.name(),
          source,
          kept.size(),
          config.maxDistinct(),
          kept.stream().min(Comparator.naturalOrder()).orElse(""));
    }
    return new InputColumn.Categorical(column.name(), kept);
  }

  private static double[] ones(int n) {
    double[] ones = new double[n];
    java.util.Arrays.fill(ones, 1.0);
    return ones;
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
