package io.sparkfit.inputs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which feature columns feed which of the network's inputs, in the network's input order. Most
 * networks have one input that takes every column; a computation graph may take each categorical
 * column into its own embedding and the other columns into another input. Saved with the model.
 */
public record InputLayout(List<InputLayout.NetworkInput> inputs) implements Serializable {

  public InputLayout {
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("A network has at least one input");
    }
  }

  /** One network input and the columns it takes. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Columns.class, name = "columns"),
    @JsonSubTypes.Type(value = Embedding.class, name = "embedding"),
    @JsonSubTypes.Type(value = Sequence.class, name = "sequence")
  })
  public sealed interface NetworkInput extends Serializable {
    /** The input's name in the network (a computation graph's input name). */
    String name();

    /** The feature columns this input takes. */
    List<String> columns();
  }

  /** The columns' encoded values side by side, in feature order: [rows, width]. */
  public record Columns(String name, List<String> columns) implements NetworkInput {
    public Columns {
      columns = List.copyOf(columns);
    }
  }

  /** A categorical column's index in its vocabulary (with the "other" and null slots): [rows, 1]. */
  public record Embedding(String name, String column) implements NetworkInput {
    @Override
    public List<String> columns() {
      return List.of(column);
    }
  }

  /** A sequence column as [rows, features, time steps], with a [rows, time steps] mask. */
  public record Sequence(String name, String column) implements NetworkInput {
    @Override
    public List<String> columns() {
      return List.of(column);
    }
  }

  /** One input named {@code name} taking every feature column (a sequence column alone as a sequence). */
  public static InputLayout single(FeatureSpec spec, String name) {
    if (spec.columns().size() == 1 && spec.columns().get(0) instanceof InputColumn.Sequence sequence) {
      return new InputLayout(List.of(new Sequence(name, sequence.column())));
    }
    return new InputLayout(List.of(new Columns(name, spec.columnNames())));
  }

  /**
   * Checks that every feature column of {@code spec} feeds exactly one input and that each input can
   * read its columns; returns the problem as a sentence, or null.
   */
  public String problemWith(FeatureSpec spec) {
    Set<String> seen = new HashSet<>();
    for (NetworkInput input : inputs) {
      for (String column : input.columns()) {
        int at = spec.columnNames().indexOf(column);
        if (at < 0) {
          return "network input '" + input.name() + "' reads column '" + column + "', which is not a feature column";
        }
        if (!seen.add(column)) {
          return "column '" + column + "' feeds more than one network input";
        }
        InputColumn kind = spec.columns().get(at);
        if (input instanceof Embedding && !(kind instanceof InputColumn.Categorical)) {
          return "network input '" + input.name() + "' embeds column '" + column + "', which is " + kind.kind() + ", not categorical";
        }
        if (kind instanceof InputColumn.Sequence != input instanceof Sequence) {
          return "network input '" + input.name() + "' reads column '" + column + "' (" + kind.kind() + ") "
              + (kind instanceof InputColumn.Sequence ? "as flat values; a sequence column needs a recurrent input of its own" : "as a sequence");
        }
      }
    }
    List<String> unused = new ArrayList<>(spec.columnNames());
    unused.removeAll(seen);
    return unused.isEmpty() ? null : "feature columns " + unused + " feed no network input";
  }

  /** The input names, in order. */
  @JsonIgnore
  public List<String> names() {
    return inputs.stream().map(NetworkInput::name).toList();
  }
}
