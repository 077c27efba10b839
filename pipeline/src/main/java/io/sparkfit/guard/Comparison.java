package io.sparkfit.guard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The champion/challenger gate's result: both models' scores on the same rows, the paired
 * statistics, and the verdict. Written as JSON by {@code compare} (and as {@code gate.json} by a
 * {@code train} with {@code guard.promote.champion}), shown in {@code report.html}.
 *
 * @param weighting how the rows were weighed, when the models weigh them by a column; null when
 *     every row weighs the same
 * @param improvement the challenger's gain: accuracy points for classes, the relative fall of the
 *     mean squared error for a target
 * @param shortfallP the one-sided p-value of "the challenger's improvement is below
 *     {@code min-improvement}"; the gate passes when it is at least {@code alpha}
 * @param test how {@code shortfallP} was computed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Comparison(
    Model champion,
    Model challenger,
    String data,
    long rows,
    @JsonProperty("rows-skipped") long rowsSkipped,
    String task,
    Weighting weighting,
    Classes classes,
    Target target,
    Auc auc,
    double improvement,
    @JsonProperty("min-improvement") double minImprovement,
    double alpha,
    @JsonProperty("shortfall-p") double shortfallP,
    String test,
    boolean passed,
    String verdict) {

  /** A model as the result names it: where it is, and its provenance (without its drift reference). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Model(String path, JsonNode provenance) {}

  /**
   * The rows' weights, when the models were trained with {@code data.weight-column}: the holdout's
   * rows are weighed by that column, so the accuracies (with Wilson intervals at the effective rows),
   * mean squared errors, AUCs and the gate's test are weighted. The sums are those of the paired
   * difference {@code z} of each row (for classes +1 where only the challenger is right, -1 where only
   * the champion is, else 0; for a target {@code d}), from which the weighted mean {@code Σwz / Σw}
   * and its sandwich variance follow.
   *
   * @param effectiveRows Kish's effective number of rows, {@code (Σw)² / Σw²}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Weighting(
      String column,
      @JsonProperty("sum-w") double sumWeight,
      @JsonProperty("sum-w2") double sumWeightSquares,
      @JsonProperty("effective-rows") double effectiveRows,
      @JsonProperty("champion-only-w") Double championOnlyWeight,
      @JsonProperty("challenger-only-w") Double challengerOnlyWeight,
      @JsonProperty("sum-w-z") double sumWZ,
      @JsonProperty("sum-w2-z") double sumW2Z,
      @JsonProperty("sum-w2-z2") double sumW2Z2) {}

  /** An accuracy with its two-sided {@code 1 - alpha} Wilson score interval. */
  public record Accuracy(double value, double low, double high) {}

  /**
   * Classification: both accuracies, the discordant pairs, and McNemar's exact test (two-sided
   * binomial test of the discordant pairs at 1/2, as {@code scipy.stats.binomtest}).
   *
   * @param championOnly rows only the champion got right
   * @param challengerOnly rows only the challenger got right
   */
  public record Classes(
      @JsonProperty("champion-accuracy") Accuracy championAccuracy,
      @JsonProperty("challenger-accuracy") Accuracy challengerAccuracy,
      @JsonProperty("both-right") long bothRight,
      @JsonProperty("champion-only") long championOnly,
      @JsonProperty("challenger-only") long challengerOnly,
      @JsonProperty("mcnemar-exact-p") double mcnemarExactP) {}

  /**
   * Regression: both mean squared errors and the paired difference of squared errors
   * {@code d = champion's - challenger's} (n, Σd, Σd²), with the paired t-test of mean d = 0
   * (two-sided, as {@code scipy.stats.ttest_rel}). With {@link Weighting} the mean squared errors,
   * the mean d, t and p are weighted ones; n, Σd and Σd² stay those of the rows.
   */
  public record Target(
      @JsonProperty("champion-mse") double championMse,
      @JsonProperty("challenger-mse") double challengerMse,
      long n,
      @JsonProperty("sum-d") double sumD,
      @JsonProperty("sum-d-squared") double sumDSquared,
      @JsonProperty("mean-d") double meanD,
      @JsonProperty("t") double t,
      @JsonProperty("paired-t-p") double pairedTP) {}

  /** Two classes: both AUCs and their difference, and how they were computed. */
  public record Auc(double champion, double challenger, double difference, String method) {}

  /** The gate's line in the log, the job's error and the report. */
  public String line() {
    return String.format(
        Locale.ROOT,
        "%s: the challenger %s improves on the champion %s by %+.4f %s on %d rows (min-improvement %s; shortfall p = %.4g %s alpha %s, %s)",
        passed ? "promoted" : "not promoted",
        challenger.path(),
        champion.path(),
        improvement,
        (classes != null ? "in " : "in relative ") + (weighting != null ? "weighted " : "") + (classes != null ? "accuracy" : "mean squared error"),
        rows,
        minImprovement,
        shortfallP,
        passed ? ">=" : "<",
        alpha,
        test);
  }
}
