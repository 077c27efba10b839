package io.sparkfit.config;

import io.sparkfit.InvalidInputException;

/**
 * The gradient updater. Validates itself.
 *
 * @param momentum used by {@code nesterovs} only
 * @param decay RMSProp's decay rate; used by {@code rmsprop} only
 * @param schedule how the learning rate changes over the epochs
 */
public record UpdaterSpec(Type type, double learningRate, double momentum, double decay, LearningRateSchedule schedule) {

  public static final double DEFAULT_MOMENTUM = 0.9;
  public static final double DEFAULT_RMSPROP_DECAY = 0.95;

  public UpdaterSpec {
    java.util.Objects.requireNonNull(type, "type");
    InvalidInputException.check(
        learningRate > 0 && Double.isFinite(learningRate), "Invalid model.updater.learning-rate: %s (must be > 0)", learningRate);
    Checks.atMost(learningRate, Limits.MAX_LEARNING_RATE, "model.updater.learning-rate");
    InvalidInputException.check(momentum >= 0 && momentum < 1, "Invalid model.updater.momentum: %s (must be in [0, 1))", momentum);
    InvalidInputException.check(decay > 0 && decay < 1, "Invalid model.updater.decay: %s (must be in (0, 1))", decay);
    java.util.Objects.requireNonNull(schedule, "schedule");
  }

  /** A constant learning rate. */
  public UpdaterSpec(Type type, double learningRate, double momentum, double decay) {
    this(type, learningRate, momentum, decay, LearningRateSchedule.none());
  }

  /** The same updater with its learning rate (and so its schedule, which is relative to it) times {@code factor}. */
  public UpdaterSpec withLearningRateTimes(double factor) {
    return new UpdaterSpec(type, learningRate * factor, momentum, decay, schedule);
  }

  /** The updaters Sparkfit offers; each maps to the DL4J updater of the same name. */
  public enum Type {
    ADAM,
    SGD,
    NESTEROVS,
    RMSPROP
  }
}
