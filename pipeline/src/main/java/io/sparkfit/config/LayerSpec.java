package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One hidden layer of the network; the output layer follows from the task and the data. A layer is
 * checked where its position is known ({@link ModelConfig}), so messages can name it.
 *
 * <p>{@link Type} is the one place that names each kind of layer and its {@code type} in config;
 * code that builds something for every kind does it through a {@link Visitor}, so a new kind of
 * layer does not compile until each of them handles it.
 */
public sealed interface LayerSpec {

  /** Each kind of layer, by its {@code type} in config. */
  enum Type {
    DENSE("dense"),
    DROPOUT("dropout"),
    BATCH_NORM("batch-norm"),
    CONV2D("conv2d"),
    SUBSAMPLING("subsampling"),
    GLOBAL_POOLING("global-pooling"),
    LSTM("lstm");

    private final String key;

    Type(String key) {
      this.key = key;
    }

    /** The layer's {@code type} in config. */
    public String key() {
      return key;
    }

    /** The kind of layer config calls {@code key}. */
    public static Optional<Type> byKey(String key) {
      return Arrays.stream(values()).filter(t -> t.key.equals(key)).findFirst();
    }

    /** Every {@code type} config takes, for messages: {@code dense, dropout, ...}. */
    public static String keys() {
      return Arrays.stream(values()).map(Type::key).collect(Collectors.joining(", "));
    }
  }

  /** Something made for a layer, one method per kind of layer. */
  interface Visitor<R> {
    R dense(Dense layer);

    R dropout(Dropout layer);

    R batchNorm(BatchNorm layer);

    R conv2d(Conv2d layer);

    R subsampling(Subsampling layer);

    R globalPooling(GlobalPooling layer);

    R lstm(Lstm layer);
  }

  Type type();

  <R> R accept(Visitor<R> visitor);

  /** The activations a dense layer may use (DL4J's of the same name). */
  Set<String> ACTIVATIONS =
      new TreeSet<>(List.of("relu", "leakyrelu", "tanh", "sigmoid", "elu", "selu", "gelu", "swish", "softplus", "identity"));

  /** Fails naming {@code where} (e.g. {@code model.layers[2]}) when the layer's values are invalid. */
  void check(String where);

  /** A fully connected layer. */
  record Dense(int units, String activation) implements LayerSpec {
    @Override
    public Type type() {
      return Type.DENSE;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.dense(this);
    }

    @Override
    public void check(String where) {
      InvalidInputException.check(units > 0, "Invalid %s.units: %s (must be > 0)", where, units);
      Checks.atMost(units, Limits.MAX_UNITS, where + ".units");
      InvalidInputException.check(
          ACTIVATIONS.contains(activation), "Invalid %s.activation: %s (must be one of %s)", where, activation, ACTIVATIONS);
    }
  }

  /** Drops inputs with probability {@code rate} during training. */
  record Dropout(double rate) implements LayerSpec {
    @Override
    public Type type() {
      return Type.DROPOUT;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.dropout(this);
    }

    @Override
    public void check(String where) {
      InvalidInputException.check(rate > 0 && rate < 1, "Invalid %s.rate: %s (must be in (0, 1))", where, rate);
    }
  }

  /** Batch normalisation of the previous layer's output. */
  record BatchNorm() implements LayerSpec {
    @Override
    public Type type() {
      return Type.BATCH_NORM;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.batchNorm(this);
    }

    @Override
    public void check(String where) {}
  }

  /** How a pooling layer combines its window: the largest value, or the mean. */
  enum Pooling {
    MAX,
    AVG
  }

  /**
   * A 2-D convolution over [channels, height, width] input (an array column with a {@code shape}).
   *
   * @param padding rows and columns of zeros added on each side; ignored with {@code same}
   * @param same pad so that the output has the input's height and width divided by the stride
   */
  record Conv2d(int filters, List<Integer> kernel, List<Integer> stride, List<Integer> padding, boolean same, String activation)
      implements LayerSpec {
    @Override
    public Type type() {
      return Type.CONV2D;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.conv2d(this);
    }

    public Conv2d {
      kernel = List.copyOf(kernel);
      stride = List.copyOf(stride);
      padding = List.copyOf(padding);
    }

    @Override
    public void check(String where) {
      InvalidInputException.check(filters > 0, "Invalid %s.filters: %s (must be > 0)", where, filters);
      Checks.atMost(filters, Limits.MAX_UNITS, where + ".filters");
      checkPair(where + ".kernel", kernel, 1);
      checkPair(where + ".stride", stride, 1);
      checkPair(where + ".padding", padding, 0);
      InvalidInputException.check(
          ACTIVATIONS.contains(activation), "Invalid %s.activation: %s (must be one of %s)", where, activation, ACTIVATIONS);
    }
  }

  /** Max or average pooling over {@code kernel} windows, {@code stride} apart. */
  record Subsampling(Pooling pooling, List<Integer> kernel, List<Integer> stride) implements LayerSpec {
    @Override
    public Type type() {
      return Type.SUBSAMPLING;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.subsampling(this);
    }

    public Subsampling {
      kernel = List.copyOf(kernel);
      stride = List.copyOf(stride);
    }

    @Override
    public void check(String where) {
      checkPair(where + ".kernel", kernel, 1);
      checkPair(where + ".stride", stride, 1);
    }
  }

  /** Pools each channel (images) or each feature over the time steps (sequences, masks respected) to one value. */
  record GlobalPooling(Pooling pooling) implements LayerSpec {
    @Override
    public Type type() {
      return Type.GLOBAL_POOLING;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.globalPooling(this);
    }

    @Override
    public void check(String where) {}
  }

  /**
   * A long short-term memory layer over a sequence column. Followed by a layer that is not recurrent
   * (or by the output), it hands on its output at each row's last real time step.
   */
  record Lstm(int units, boolean bidirectional, String activation) implements LayerSpec {
    @Override
    public Type type() {
      return Type.LSTM;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.lstm(this);
    }

    @Override
    public void check(String where) {
      InvalidInputException.check(units > 0, "Invalid %s.units: %s (must be > 0)", where, units);
      Checks.atMost(units, Limits.MAX_UNITS, where + ".units");
      InvalidInputException.check(
          ACTIVATIONS.contains(activation), "Invalid %s.activation: %s (must be one of %s)", where, activation, ACTIVATIONS);
    }
  }

  private static void checkPair(String key, List<Integer> pair, int least) {
    InvalidInputException.check(
        pair.size() == 2 && pair.stream().allMatch(v -> v >= least && v <= Limits.MAX_KERNEL),
        "Invalid %s: %s (must be two integers in [%s, %s], [rows, columns])",
        key,
        pair,
        least,
        Limits.MAX_KERNEL);
  }
}
