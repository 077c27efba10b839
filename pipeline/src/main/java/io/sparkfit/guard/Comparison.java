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
   * (two-sided, as {@code scipy.stats.ttest_rel}).
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
        classes != null ? "in accuracy" : "in relative mean squared error",
        rows,
        minImprovement,
        shortfallP,
        passed ? ">=" : "<",
        alpha,
        test);
  }
}
