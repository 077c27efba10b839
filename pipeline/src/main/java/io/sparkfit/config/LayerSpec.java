package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One hidden layer of the network; the output layer follows from the task and the data. A layer is
 * checked where its position is known ({@link ModelConfig}), so messages can name it.
 */
public sealed interface LayerSpec {

  /** The activations a dense layer may use (DL4J's of the same name). */
  Set<String> ACTIVATIONS =
      new TreeSet<>(List.of("relu", "leakyrelu", "tanh", "sigmoid", "elu", "selu", "gelu", "swish", "softplus", "identity"));

  /** Fails naming {@code where} (e.g. {@code model.layers[2]}) when the layer's values are invalid. */
  void check(String where);

  /** A fully connected layer. */
  record Dense(int units, String activation) implements LayerSpec {
    @Override
    public void check(String where) {
      InvalidInputException.check(units > 0, "Invalid %s.units: %s (must be > 0)", where, units);
      InvalidInputException.check(
          ACTIVATIONS.contains(activation), "Invalid %s.activation: %s (must be one of %s)", where, activation, ACTIVATIONS);
    }
  }

  /** Drops inputs with probability {@code rate} during training. */
  record Dropout(double rate) implements LayerSpec {
    @Override
    public void check(String where) {
      InvalidInputException.check(rate > 0 && rate < 1, "Invalid %s.rate: %s (must be in (0, 1))", where, rate);
    }
  }

  /** Batch normalisation of the previous layer's output. */
  record BatchNorm() implements LayerSpec {
    @Override
    public void check(String where) {}
  }
}
