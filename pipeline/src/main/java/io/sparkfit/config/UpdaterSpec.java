package io.sparkfit.config;

/**
 * The gradient updater.
 *
 * @param momentum used by {@code nesterovs} only
 * @param decay RMSProp's decay rate; used by {@code rmsprop} only
 */
public record UpdaterSpec(Type type, double learningRate, double momentum, double decay) {

  /** The updaters Sparkfit offers; each maps to the DL4J updater of the same name. */
  public enum Type {
    ADAM,
    SGD,
    NESTEROVS,
    RMSPROP
  }
}
