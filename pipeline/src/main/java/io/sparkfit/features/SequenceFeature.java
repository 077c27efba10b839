package io.sparkfit.features;

import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.Normalization;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.InputColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * An {@code array<array<float|double>>} column: time steps of values, any number per row, each step
 * scaled feature by feature over all steps. A null or empty sequence, a null step or a null or
 * non-finite value is invalid; so is, once fitted, a step of another width than in training. A
 * sequence column is the only feature column of its table.
 */
final class SequenceFeature extends Feature {
  private static final long serialVersionUID = 1L;

  private final InputColumn.Sequence input;
  private transient List<double[]> steps;

  SequenceFeature(FeatureColumn config, String sqlType) {
    super(config.column(), sqlType);
    this.input = null;
  }

  SequenceFeature(String sqlType, InputColumn.Sequence input) {
    super(input.column(), sqlType);
    this.input = input;
  }

  @Override
  public String kind() {
    return "sequence";
  }

  @Override
  public Column projection() {
    return Features.column(name()).cast("array<array<double>>");
  }

  @Override
  public boolean feeds(InputColumn input) {
    return input instanceof InputColumn.Sequence;
  }

  @Override
  public String invalid(Row row, int index) {
    if (row.isNullAt(index) || row.getList(index).isEmpty()) {
      return "feature column '" + name() + "' is null or has no time steps";
    }
    if (steps == null) {
      steps = new ArrayList<>();
    }
    steps.clear();
    for (Object step : row.getList(index)) {
      if (step == null) {
        return "feature column '" + name() + "' has a null time step";
      }
      List<Object> values = ProjectedRows.list(step);
      if (input != null && values.size() != input.features()) {
        return "feature column '" + name() + "' has a time step of " + values.size() + " values, but the model takes "
            + input.features() + " per step";
      }
      double[] read = new double[values.size()];
      if (!ProjectedRows.finiteValues(values, read, 0)) {
        return "feature column '" + name() + "' has a null or non-finite value";
      }
      steps.add(read);
    }
    return null;
  }

  @Override
  public Column valid(Column value) {
    Column badStep =
        functions.exists(
            value,
            step -> {
              Column bad = step.isNull().or(functions.exists(step, ArrayFeature::notFinite));
              return input == null ? bad : bad.or(functions.size(step).notEqual(input.features()));
            });
    return value.isNotNull().and(functions.size(value).gt(0)).and(functions.not(badStep));
  }

  @Override
  public ColumnStatistics newStatistics() {
    return new ColumnStatistics.Sequence();
  }

  @Override
  public void add(ColumnStatistics statistics, Supplier<String> row) {
    ColumnStatistics.Sequence sequence = (ColumnStatistics.Sequence) statistics;
    sequence.addRow(steps.size());
    for (double[] step : steps) {
      sequence.add(step, step.length, row);
    }
  }

  @Override
  public void checkConsistent(ColumnStatistics statistics, String source) {
    ArrayFeature.checkOneLength(name(), (ColumnStatistics.Sequence) statistics, source, "time steps of different widths", " values");
  }

  @Override
  public int observedWidth(ColumnStatistics statistics) {
    return ((ColumnStatistics.Sequence) statistics).lengths.firstKey();
  }

  @Override
  public FittedColumn fit(ColumnStatistics statistics, Normalization normalization, String source) {
    ColumnStatistics.Sequence sequence = (ColumnStatistics.Sequence) statistics;
    int width = sequence.sum.length;
    double[][] s = ArrayFeature.elementScaling(sequence, normalization);
    return new FittedColumn(
        new InputColumn.Sequence(name(), width),
        s[0],
        s[1],
        ColumnSummary.sequence(name(), sqlType(), width, sequence.fewestSteps, sequence.mostSteps));
  }

  @Override
  public Feature fitted(InputColumn input) {
    return new SequenceFeature(sqlType(), (InputColumn.Sequence) input);
  }

  /** A sequence is encoded step by step ({@link #steps}), not as one row of inputs. */
  @Override
  int encode(double[] raw, int at) {
    throw new IllegalStateException("A sequence column is encoded by FeatureEncoder.encodeSequence");
  }

  /** The time steps of the valid row {@link #invalid} read last, unscaled. */
  List<double[]> steps() {
    fittedInput(input, name());
    return steps;
  }
}
