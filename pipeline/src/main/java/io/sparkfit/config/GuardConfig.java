package io.sparkfit.config;

import io.sparkfit.InvalidInputException;
import java.io.Serializable;
import java.util.Optional;

/**
 * {@code guard}: what keeps an unattended retraining from shipping a model trained on broken data
 * ({@link Drift}) or from replacing a good model with a worse one ({@link Promote}).
 */
public record GuardConfig(Drift drift, Promote promote) implements Serializable {

  /** No drift check, no promotion: what a config built in code gets unless it asks. */
  public static GuardConfig none() {
    return new GuardConfig(Drift.off(), Promote.off());
  }

  /** What a drift check finding a violation does. */
  public enum OnViolation {
    /** Stop before training, with exit code 4. */
    FAIL,
    /** Log the violations and train. */
    WARN
  }

  /** Where the drift check's reference profile comes from. */
  public sealed interface Reference extends Serializable permits NoReference, AutoReference, PathReference {}

  /** {@code none}: no drift check. */
  public record NoReference() implements Reference {}

  /** {@code auto}: the previous output in {@code output.dir}, else {@code model.init-from}, else none. */
  public record AutoReference() implements Reference {}

  /** A model (a training output, its {@code model.zip}, or a promotion pointer) whose data profile is the reference. */
  public record PathReference(String path) implements Reference {
    public PathReference {
      Checks.nonBlank(path, "guard.drift.reference");
    }
  }

  /**
   * {@code guard.drift}: the new training data against a reference model's data profile, in the
   * same profiling pass. A column violates when any of its statistics is beyond its threshold.
   *
   * @param psi population stability index of a numeric column (over the reference's decile bins), a
   *     categorical one (over the reference's values plus one bin for the rest) and the label's classes
   * @param ks two-sample Kolmogorov–Smirnov distance of a numeric column
   * @param nullRateChange change of a column's share of missing values
   * @param unseenShare growth of a categorical column's share of values outside the reference's values
   * @param labelShareChange change of any class's share of the rows
   */
  public record Drift(
      Reference reference, OnViolation onViolation, double psi, double ks, double nullRateChange, double unseenShare, double labelShareChange)
      implements Serializable {
    public Drift {
      positive(psi, "guard.drift.psi");
      share(ks, "guard.drift.ks");
      share(nullRateChange, "guard.drift.null-rate-change");
      share(unseenShare, "guard.drift.unseen-share");
      share(labelShareChange, "guard.drift.label-share-change");
    }

    public static Drift off() {
      return new Drift(new NoReference(), OnViolation.WARN, 0.2, 0.2, 0.1, 0.05, 0.1);
    }
  }

  /**
   * {@code guard.promote}: at the end of {@code train}, the new model (the challenger) and the one
   * {@code champion} points to score the same holdout; the challenger replaces it when the gate passes.
   *
   * @param champion the promotion pointer (a file written by Sparkfit's promotion): it names the
   *     current model, and is replaced to name the new one; empty: no gate
   * @param holdout the labelled data both models score; empty: {@code data.validation}
   * @param minImprovement how much better the challenger must be shown not to fall short of: the gate
   *     fails when the challenger's improvement (accuracy points; or the relative fall of the mean
   *     squared error) is significantly below this at {@code alpha}; negative values tolerate a loss
   * @param alpha the significance of the one-sided test
   */
  public record Promote(Optional<String> champion, Optional<String> holdout, double minImprovement, double alpha) implements Serializable {
    public Promote {
      champion.ifPresent(c -> Checks.nonBlank(c, "guard.promote.champion"));
      holdout.ifPresent(h -> Checks.nonBlank(h, "guard.promote.holdout"));
      InvalidInputException.check(
          Double.isFinite(minImprovement) && minImprovement > -1 && minImprovement < 1,
          "Invalid guard.promote.min-improvement: %s (must be between -1 and 1)",
          minImprovement);
      InvalidInputException.check(alpha > 0 && alpha < 0.5, "Invalid guard.promote.alpha: %s (must be above 0 and below 0.5)", alpha);
    }

    public static Promote off() {
      return new Promote(Optional.empty(), Optional.empty(), 0, 0.05);
    }
  }

  private static void positive(double value, String key) {
    InvalidInputException.check(Double.isFinite(value) && value > 0, "Invalid %s: %s (must be a positive number)", key, value);
  }

  private static void share(double value, String key) {
    InvalidInputException.check(value > 0 && value <= 1, "Invalid %s: %s (must be above 0 and at most 1)", key, value);
  }
}
