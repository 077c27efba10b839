package io.sparkfit.features;

import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.InputColumn;

/**
 * What fitting one feature column gives: the model's input description, the scaling of each of its
 * inputs ({@code x' = (x - shift) / scale}), and the column's summary for provenance and the report.
 */
public record FittedColumn(InputColumn input, double[] shift, double[] scale, ColumnSummary summary) {
  public FittedColumn {
    if (shift.length != input.width() || scale.length != input.width()) {
      throw new IllegalArgumentException(
          "Column '" + input.column() + "' makes " + input.width() + " inputs, but " + shift.length + " shifts and " + scale.length + " scales");
    }
  }

  /** Inputs that are used as they are: one-hot slots, sin/cos pairs, missing indicators. */
  static double[][] unscaled(int width) {
    double[] ones = new double[width];
    java.util.Arrays.fill(ones, 1.0);
    return new double[][] {new double[width], ones};
  }
}
