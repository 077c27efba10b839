package io.sparkfit.features;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.Normalization;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.InputColumn;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A string, or a whole number declared categorical, read as text: one-hot over the vocabulary the
 * training rows make, then one input for any other value (rare, or unseen in training) and one for
 * null. Every value is valid: null and rare values have inputs of their own.
 */
final class CategoricalFeature extends Feature {
  private static final long serialVersionUID = 1L;
  private static final int TOP_VALUES = 10;

  private final FeatureColumn config;
  private final InputColumn.Categorical input;
  private transient String value;
  private transient Map<String, Integer> positions;
  /** The slot {@link #encode} set last: the value's index in the vocabulary, or the "other" or null slot. */
  private transient int slot;

  CategoricalFeature(FeatureColumn config, String sqlType) {
    super(config.column(), sqlType);
    this.config = config;
    this.input = null;
  }

  CategoricalFeature(String sqlType, InputColumn.Categorical input) {
    super(input.column(), sqlType);
    this.config = null;
    this.input = input;
  }

  @Override
  public String kind() {
    return "categorical";
  }

  @Override
  public Column projection() {
    return Features.column(name()).cast("string");
  }

  @Override
  public boolean feeds(InputColumn input) {
    return input instanceof InputColumn.Categorical;
  }

  @Override
  public String invalid(Row row, int index) {
    value = row.isNullAt(index) ? null : row.getString(index);
    return null;
  }

  @Override
  public Column valid(Column value) {
    return functions.lit(true);
  }

  @Override
  public ColumnStatistics newStatistics() {
    return new ColumnStatistics.Categorical();
  }

  @Override
  public void add(ColumnStatistics statistics, Supplier<String> row) {
    ((ColumnStatistics.Categorical) statistics).add(value);
  }

  @Override
  public FittedColumn fit(ColumnStatistics statistics, Normalization normalization, String source) {
    ColumnStatistics.Categorical categorical = (ColumnStatistics.Categorical) statistics;
    InputColumn.Categorical fitted = vocabulary(configOf(config, name()), categorical, source);
    long inVocabulary = fitted.vocabulary().stream().mapToLong(v -> categorical.counts.get(v)).sum();
    List<ColumnSummary.ValueCount> top =
        fitted.vocabulary().stream().limit(TOP_VALUES).map(v -> new ColumnSummary.ValueCount(v, categorical.counts.get(v))).toList();
    ColumnSummary summary =
        ColumnSummary.categorical(
            name(), sqlType(), categorical.nulls, categorical.counts.size(), fitted.vocabulary().size(), top,
            categorical.present() - inVocabulary);
    double[][] unscaled = FittedColumn.unscaled(fitted.width());
    return new FittedColumn(fitted, unscaled[0], unscaled[1], summary);
  }

  /**
   * The vocabulary: values in at least {@code min-frequency} rows, most frequent first (ties by
   * value, so it does not depend on the partitioning), at most {@code max-categories} of them.
   */
  private InputColumn.Categorical vocabulary(FeatureColumn config, ColumnStatistics.Categorical profile, String source) {
    InvalidInputException.check(
        !profile.overflowed,
        "feature column '%s' in %s has more than %d distinct values: too many for a categorical column (leave it out of data.features)",
        name(),
        source,
        FeatureColumn.COUNT_LIMIT);
    InvalidInputException.check(
        !profile.counts.isEmpty(),
        "feature column '%s' in %s has no values: all %d rows are null (leave it out of data.features)",
        name(),
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
          name(),
          source,
          kept.size(),
          config.maxDistinct(),
          kept.stream().min(Comparator.naturalOrder()).orElse(""));
    }
    return new InputColumn.Categorical(name(), kept);
  }

  @Override
  public Feature fitted(InputColumn input) {
    return new CategoricalFeature(sqlType(), (InputColumn.Categorical) input);
  }

  @Override
  int encode(double[] raw, int at) {
    InputColumn.Categorical input = fittedInput(this.input, name());
    if (positions == null) {
      positions = new HashMap<>();
      for (int k = 0; k < input.vocabulary().size(); k++) {
        positions.put(input.vocabulary().get(k), k);
      }
    }
    slot = value == null ? input.nullSlot() : positions.getOrDefault(value, input.otherSlot());
    int width = input.width();
    for (int k = 0; k < width; k++) {
      raw[at + k] = k == slot ? 1 : 0;
    }
    return at + width;
  }

  /** The slot of the value {@link #encode} read last, for an embedding. */
  int slot() {
    return slot;
  }
}
