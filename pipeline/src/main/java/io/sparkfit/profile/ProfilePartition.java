package io.sparkfit.profile;

import io.sparkfit.features.Feature;
import io.sparkfit.features.ProjectedRows;
import io.sparkfit.inputs.LabelKind;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * Profiles one partition of projected rows in one pass. Rows whose holdout flag is true go to the
 * second profile, so a seeded validation split costs no extra pass. A row is invalid when its label
 * is missing, a feature's kind finds its value invalid ({@link Feature#invalid}), or its weight is
 * missing, not finite or negative ({@link ProjectedRows#invalidWeight}); only valid rows
 * reach the column statistics.
 */
final class ProfilePartition implements FlatMapFunction<Iterator<Row>, DataProfile[]> {
  private static final long serialVersionUID = 1L;

  private final ProjectedRows layout;
  private final List<Feature> features;

  ProfilePartition(ProjectedRows layout, List<Feature> features) {
    this.layout = layout;
    this.features = List.copyOf(features);
  }

  @Override
  public Iterator<DataProfile[]> call(Iterator<Row> rows) {
    DataProfile kept = new DataProfile(features);
    DataProfile heldOut = new DataProfile(features);
    boolean isClass = layout.labelKind().isClass();
    int n = features.size();
    // One per task: a feature keeps the value it read between invalid() and add().
    Feature[] columns = features.toArray(Feature[]::new);
    while (rows.hasNext()) {
      Row row = rows.next();
      DataProfile profile = row.getBoolean(ProjectedRows.HOLDOUT) ? heldOut : kept;
      String invalid = null;
      for (int i = 0; i < n && invalid == null; i++) {
        invalid = columns[i].invalid(row, ProjectedRows.FIRST_FEATURE + i);
      }
      Object label = layout.label(row);
      if (invalid == null && label == null) {
        invalid = "label column '" + layout.labelColumn() + "' is null or not finite";
      }
      if (invalid == null) {
        invalid = layout.invalidWeight(row);
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
        columns[i].add(profile.columns[i], () -> layout.describe(row));
      }
    }
    return Collections.singletonList(new DataProfile[] {kept, heldOut}).iterator();
  }
}
