package io.sparkfit.config;

import io.sparkfit.InvalidInputException;

/**
 * How the learning rate changes from epoch to epoch ({@code model.updater.schedule}); the updater's
 * {@code learning-rate} is the rate of the first epoch. Validates itself.
 */
public sealed interface LearningRateSchedule {

  /** The same rate every epoch. */
  static LearningRateSchedule none() {
    return Constant.INSTANCE;
  }

  /** The same rate every epoch. */
  enum Constant implements LearningRateSchedule {
    INSTANCE;

    @Override
    public String toString() {
      return "none";
    }
  }

  /** The rate times {@code gamma} after every {@code everyEpochs} epochs. */
  record Step(double gamma, int everyEpochs) implements LearningRateSchedule {
    public Step {
      InvalidInputException.check(gamma > 0 && gamma < 1, "Invalid model.updater.schedule.gamma: %s (must be in (0, 1))", gamma);
      InvalidInputException.check(
          everyEpochs >= 1, "Invalid model.updater.schedule.every-epochs: %s (must be >= 1)", everyEpochs);
      Checks.atMost(everyEpochs, Limits.MAX_EPOCH_COUNT, "model.updater.schedule.every-epochs");
    }
  }

  /** The rate times {@code gamma} every epoch. */
  record Exponential(double gamma) implements LearningRateSchedule {
    public Exponential {
      InvalidInputException.check(gamma > 0 && gamma < 1, "Invalid model.updater.schedule.gamma: %s (must be in (0, 1))", gamma);
    }
  }

  /**
   * A smooth decay to zero at the end of training: the rate times {@code (1 - epoch / epochs)^power}.
   *
   * @param epochs the run's {@code training.epochs}
   */
  record Poly(double power, int epochs) implements LearningRateSchedule {
    public Poly {
      InvalidInputException.check(
          power > 0 && Double.isFinite(power), "Invalid model.updater.schedule.power: %s (must be > 0)", power);
      Checks.atMost(power, Limits.MAX_SCHEDULE_POWER, "model.updater.schedule.power");
      InvalidInputException.check(epochs >= 1, "Invalid training.epochs: %s (must be >= 1)", epochs);
    }
  }
}
