package io.sparkfit.data;

import java.util.Iterator;
import java.util.Collections;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * Profiles one partition of a projected table in one pass. Rows whose holdout column (index 2) is
 * true go to the second profile, so a seeded validation split costs no extra pass.
 */
final class ProfilePartition implements FlatMapFunction<Iterator<Row>, DataProfile[]> {
  private static final long serialVersionUID = 1L;
  static final int HOLDOUT = 2;

  private final RowDecoder decoder;

  ProfilePartition(RowDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public Iterator<DataProfile[]> call(Iterator<Row> rows) {
    DataProfile kept = new DataProfile();
    DataProfile heldOut = new DataProfile();
    double[] buffer = new double[Math.max(1, decoder.features().width())];
    boolean isClass = decoder.labelKind().isClass();
    while (rows.hasNext()) {
      Row row = rows.next();
      DataProfile profile = row.getBoolean(HOLDOUT) ? heldOut : kept;
      int n = decoder.readFeatures(row, buffer);
      if (n > buffer.length) {
        buffer = new double[n];
        n = decoder.readFeatures(row, buffer);
      }
      Object label = decoder.readLabel(row);
      if (n < 0 || label == null) {
        if (profile.invalidExample == null) {
          profile.addInvalid(decoder.describe(row));
        } else {
          profile.addInvalid(null);
        }
        continue;
      }
      if (decoder.labelKind() == LabelKind.DOUBLE_CLASS && profile.fractionalLabelExample == null) {
        double d = (Double) label;
        if (d != Math.rint(d)) {
          profile.fractionalLabelExample = decoder.describe(row);
        }
      }
      profile.addValid(buffer, n, label, isClass, () -> decoder.describe(row));
    }
    return Collections.singletonList(new DataProfile[] {kept, heldOut}).iterator();
  }
}
