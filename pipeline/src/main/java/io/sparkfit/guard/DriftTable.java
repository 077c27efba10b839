package io.sparkfit.guard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a drift check found: per column of either table, its statistics against the reference and
 * the thresholds it broke. Written as {@code drift.json} (in the training output, or beside it when
 * the check stopped the run) and shown in {@code report.html}.
 *
 * @param reference where the reference profile came from
 * @param onViolation what a violation does: fail or warn
 * @param referenceRows the reference's valid rows
 * @param rows the new data's valid rows
 * @param columns one entry per column, the label last
 */
public record DriftTable(
    String reference,
    @JsonProperty("on-violation") String onViolation,
    @JsonProperty("reference-rows") long referenceRows,
    long rows,
    List<ColumnDrift> columns) {

  public DriftTable {
    columns = List.copyOf(columns);
  }

  /** The columns with a violation. */
  public List<ColumnDrift> violations() {
    return columns.stream().filter(c -> !c.violations().isEmpty()).toList();
  }

  /**
   * One column: {@code status} is {@code ok}, {@code drift}, {@code added}, {@code missing} or
   * {@code type-changed}; statistics that do not apply to its kind are left out.
   *
   * @param unseenShare of a categorical column, the share of the new rows whose value is not among
   *     the reference's values; {@code referenceUnseenShare} the reference's own share of such rows
   *     (values it counted as other)
   * @param labelShareChange of the label, the largest change of a class's share
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ColumnDrift(
      String column,
      String kind,
      String status,
      @JsonProperty("reference-type") String referenceType,
      String type,
      @JsonProperty("reference-null-rate") Double referenceNullRate,
      @JsonProperty("null-rate") Double nullRate,
      Double psi,
      Double ks,
      @JsonProperty("reference-unseen-share") Double referenceUnseenShare,
      @JsonProperty("unseen-share") Double unseenShare,
      @JsonProperty("label-share-change") Double labelShareChange,
      List<String> violations) {
    public ColumnDrift {
      violations = List.copyOf(violations);
    }

    /** The column's line in a failure: its name and each threshold it broke. */
    public String line() {
      return "column '" + column + "' (" + kind + "): " + String.join(", ", violations);
    }
  }
}
