package io.sparkfit.data;

import java.io.Serializable;
import java.util.List;

/**
 * The model's inputs: which columns, in which layout, and how many features they make. Saved as JSON
 * with every model, so scoring can check new data against what the model was trained on.
 *
 * @param columns the feature columns as configured (one column for {@code ARRAY} and {@code VECTOR})
 * @param width the number of features the network takes
 */
public record FeatureSpec(FeatureLayout layout, List<String> columns, int width) implements Serializable {

  public FeatureSpec {
    columns = List.copyOf(columns);
    if (width <= 0) {
      throw new IllegalArgumentException("Invalid feature width: " + width + " (must be > 0)");
    }
  }

  /** Describes where features come from, for error messages: {@code columns [a, b]} or {@code column 'v'}. */
  public String describe() {
    return layout == FeatureLayout.COLUMNS && columns.size() > 1
        ? "feature columns " + columns
        : "feature column '" + columns.get(0) + "'";
  }
}
