package io.sparkfit.inputs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.Serializable;
import java.util.List;

/**
 * The model's inputs: its feature columns in order, each with what was learned for it, and how many
 * network inputs they make together. Saved as JSON with every model, so scoring reads and encodes new
 * data exactly as training did.
 */
public record FeatureSpec(List<InputColumn> columns) implements Serializable {

  public FeatureSpec {
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("A model reads at least one feature column");
    }
  }

  /** The number of network inputs. */
  @JsonIgnore
  public int width() {
    return columns.stream().mapToInt(InputColumn::width).sum();
  }

  /** The number of network inputs the named columns make together (per time step, for a sequence). */
  public int width(List<String> names) {
    return columns.stream().filter(c -> names.contains(c.column())).mapToInt(InputColumn::width).sum();
  }

  /** The feature column names, in order. */
  @JsonIgnore
  public List<String> columnNames() {
    return columns.stream().map(InputColumn::column).toList();
  }

  /** Where features come from, for error messages: {@code feature columns [a, b]} or {@code feature column 'v'}. */
  public String describe() {
    return columns.size() > 1 ? "feature columns " + columnNames() : "feature column '" + columns.get(0).column() + "'";
  }
}
