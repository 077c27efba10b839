package io.sparkfit.data;

import io.sparkfit.config.Imputation;
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
    while (rows.hasNext()) {
      Row row = rows.next();
      DataProfile profile = row.getBoolean(ProjectedRows.HOLDOUT) ? heldOut : kept;
      String invalid = invalidColumn(row, arrays, lengths);
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
          List<Object> steps = row.getList(index);
          sequence.addRow(steps.size());
          for (Object step : steps) {
            List<Object> values = ProjectedRows.list(step);
            double[] buffer = new double[values.size()];
            for (int j = 0; j < buffer.length; j++) {
              buffer[j] = (Double) values.get(j);
            }
            sequence.add(buffer, buffer.length, () -> layout.describe(row));
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
   * {@code arrays} and their lengths into {@code lengths}, so they are read once.
   */
  private String invalidColumn(Row row, double[][] arrays, int[] lengths) {
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
          for (Object step : row.getList(index)) {
            if (step == null) {
              return "feature column '" + column.name() + "' has a null time step";
            }
            for (Object v : ProjectedRows.list(step)) {
              if (v == null || !Double.isFinite((Double) v)) {
                return "feature column '" + column.name() + "' has a null or non-finite value";
              }
            }
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
          for (int j = 0; j < values.size(); j++) {
            Object v = values.get(j);
            if (v == null || !Double.isFinite((Double) v)) {
              return "feature column '" + column.name() + "' has a null or non-finite value";
            }
            arrays[i][j] = (Double) v;
          }
        }
      }
    }
    return null;
  }
}
