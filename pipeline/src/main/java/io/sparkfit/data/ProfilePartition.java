package io.sparkfit.data;

import io.sparkfit.config.Imputation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * Profiles one partition of projected rows in one pass. Rows whose holdout flag is true go to the
 * second profile, so a seeded validation split costs no extra pass. A row is invalid when its label
 * is missing, a numeric feature is infinite or missing without imputation, or an array feature is
 * null or holds a null or non-finite value; only valid rows reach the column statistics.
 */
final class ProfilePartition implements FlatMapFunction<Iterator<Row>, DataProfile[]> {
  private static final long serialVersionUID = 1L;

  private final ProjectedRows layout;
  private final List<SourceColumn> columns;

  ProfilePartition(ProjectedRows layout, List<SourceColumn> columns) {
    this.layout = layout;
    this.columns = List.copyOf(columns);
  }

  @Override
  public Iterator<DataProfile[]> call(Iterator<Row> rows) {
    DataProfile kept = new DataProfile(columns);
    DataProfile heldOut = new DataProfile(columns);
    boolean isClass = layout.labelKind().isClass();
    int n = columns.size();
    double[][] arrays = new double[n][];
    int[] lengths = new int[n];
    @SuppressWarnings("unchecked")
    List<double[]>[] sequences = new List[n];
    while (rows.hasNext()) {
      Row row = rows.next();
      DataProfile profile = row.getBoolean(ProjectedRows.HOLDOUT) ? heldOut : kept;
      String invalid = invalidColumn(row, arrays, lengths, sequences);
      Object label = layout.label(row);
      if (invalid == null && label == null) {
        invalid = "label column '" + layout.labelColumn() + "' is null or not finite";
      }
      if (invalid != null) {
        profile.addInvalid(invalid + " in row " + layout.describe(row));
        continue;
      }
      if (layout.labelKind() == LabelKind.DOUBLE_CLASS) {
        double d = (Double) label;
        if (d != Math.rint(d)) {
          profile.fractionalLabelExample = DataProfile.smaller(profile.fractionalLabelExample, layout.describe(row));
        }
      }
      profile.addLabel(label, isClass);
      for (int i = 0; i < n; i++) {
        int index = ProjectedRows.FIRST_FEATURE + i;
        ColumnProfile state = profile.columns[i];
        if (state instanceof ColumnProfile.Numeric numeric) {
          double x = row.isNullAt(index) ? Double.NaN : row.getDouble(index);
          if (Double.isNaN(x)) {
            numeric.addMissing();
          } else {
            numeric.add(x);
          }
        } else if (state instanceof ColumnProfile.Categorical categorical) {
          categorical.add(row.isNullAt(index) ? null : row.getString(index));
        } else if (state instanceof ColumnProfile.Sequence sequence) {
          sequence.addRow(sequences[i].size());
          for (double[] step : sequences[i]) {
            sequence.add(step, step.length, () -> layout.describe(row));
          }
        } else {
          ((ColumnProfile.Array) state).add(arrays[i], lengths[i], () -> layout.describe(row));
        }
      }
    }
    return Collections.singletonList(new DataProfile[] {kept, heldOut}).iterator();
  }

  /**
   * Why the row's features are invalid ("column 'x' is ..."), or null; reads arrays into
   * {@code arrays} and their lengths into {@code lengths}, and sequences' steps into
   * {@code sequences}, so they are read once.
   */
  private String invalidColumn(Row row, double[][] arrays, int[] lengths, List<double[]>[] sequences) {
    for (int i = 0; i < columns.size(); i++) {
      SourceColumn column = columns.get(i);
      int index = ProjectedRows.FIRST_FEATURE + i;
      switch (column.type()) {
        case NUMERIC -> {
          double x = row.isNullAt(index) ? Double.NaN : row.getDouble(index);
          if (Double.isInfinite(x)) {
            return "feature column '" + column.name() + "' is infinite";
          }
          if (Double.isNaN(x) && column.config().impute() == Imputation.NONE) {
            return "feature column '" + column.name() + "' is null or NaN (impute = none)";
          }
        }
        case CATEGORICAL -> {
          // Every value is valid: null and rare values have inputs of their own.
        }
        case SEQUENCE -> {
          if (row.isNullAt(index) || row.getList(index).isEmpty()) {
            return "feature column '" + column.name() + "' is null or has no time steps";
          }
          if (sequences[i] == null) {
            sequences[i] = new ArrayList<>();
          }
          sequences[i].clear();
          for (Object step : row.getList(index)) {
            if (step == null) {
              return "feature column '" + column.name() + "' has a null time step";
            }
            List<Object> values = ProjectedRows.list(step);
            double[] read = new double[values.size()];
            if (!ProjectedRows.finiteValues(values, read, 0)) {
              return "feature column '" + column.name() + "' has a null or non-finite value";
            }
            sequences[i].add(read);
          }
        }
        case ARRAY, VECTOR -> {
          if (row.isNullAt(index)) {
            return "feature column '" + column.name() + "' is null";
          }
          List<Object> values = row.getList(index);
          if (arrays[i] == null || arrays[i].length < values.size()) {
            arrays[i] = new double[values.size()];
          }
          lengths[i] = values.size();
          if (!ProjectedRows.finiteValues(values, arrays[i], 0)) {
            return "feature column '" + column.name() + "' has a null or non-finite value";
          }
        }
      }
    }
    return null;
  }
}
