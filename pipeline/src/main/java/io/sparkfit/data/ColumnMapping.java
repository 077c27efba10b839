package io.sparkfit.data;

import java.io.Serializable;
import java.util.List;

/**
 * How a table's columns feed the network, as read from its schema before any row is touched.
 *
 * @param featureColumns the configured feature columns
 * @param labelColumn the configured label column
 */
public record ColumnMapping(
    FeatureLayout layout, List<String> featureColumns, String labelColumn, LabelKind labelKind)
    implements Serializable {

  public ColumnMapping {
    featureColumns = List.copyOf(featureColumns);
  }
}
