package io.sparkfit.config;

/** One hidden layer of the network; the output layer follows from the task and the data. */
public sealed interface LayerSpec {

  /** A fully connected layer. */
  record Dense(int units, String activation) implements LayerSpec {}

  /** Drops inputs with probability {@code rate} during training. */
  record Dropout(double rate) implements LayerSpec {}

  /** Batch normalisation of the previous layer's output. */
  record BatchNorm() implements LayerSpec {}
}
