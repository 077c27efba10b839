package io.sparkfit.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.config.GuardConfig;
import io.sparkfit.testing.Python;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The gate's paired statistics against scipy's: McNemar's exact test as binomtest, the paired t-test as ttest_rel. */
class PairedStatisticsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void mcnemarsExactTestIsScipysBinomialTest() throws Exception {
    long[][] pairs = {{0, 0}, {0, 1}, {3, 3}, {5, 12}, {40, 25}, {1, 30}, {250, 310}, {1000, 1103}, {7, 0}};
    StringBuilder input = new StringBuilder();
    for (long[] p : pairs) {
      input.append(p[0]).append(' ').append(p[1]).append('\n');
    }
    String out =
        Python.run(
            """
            import sys
            from scipy.stats import binomtest
            for line in sys.stdin:
                b, c = map(int, line.split())
                print(1.0 if b + c == 0 else binomtest(b, b + c, 0.5).pvalue, binomtest(c, b + c, 0.5, alternative='less').pvalue if b + c else 1.0)
            """,
            input.toString());
    List<String> lines = out.lines().toList();
    for (int i = 0; i < pairs.length; i++) {
      String[] expected = lines.get(i).split(" ");
      long b = pairs[i][0];
      long c = pairs[i][1];
      assertThat(PairedStatistics.mcnemarExact(b, c)).as("b=%d c=%d", b, c).isCloseTo(Double.parseDouble(expected[0]), within(1e-12));
      assertThat(PairedStatistics.lowerTail(c, b + c)).as("one-sided, b=%d c=%d", b, c).isCloseTo(Double.parseDouble(expected[1]), within(1e-12));
    }
  }

  @Test
  void thePairedDifferenceOfSquaredErrorsIsScipysPairedTTest() throws Exception {
    Random random = new Random(11);
    PairedState state = PairedState.empty(false, 0);
    List<double[]> errors = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      double champion = random.nextGaussian() * 1.1;
      double challenger = random.nextGaussian();
      errors.add(new double[] {champion, challenger});
      state.addTarget(champion, challenger);
    }
    GuardConfig.Promote gate = new GuardConfig.Promote(Optional.empty(), Optional.empty(), 0, 0.05);
    Comparison result =
        ChampionChallenger.verdict(state, 0, new Comparison.Model("a", null), new Comparison.Model("b", null), "holdout", "regression", gate);
    String json = JSON.writeValueAsString(errors);
    JsonNode expected =
        JSON.readTree(
            Python.run(
                """
                import sys, json
                import numpy as np
                from scipy.stats import ttest_rel
                e = np.array(json.load(sys.stdin))
                a, b = e[:, 0] ** 2, e[:, 1] ** 2
                two = ttest_rel(a, b)
                one = ttest_rel(a, b, alternative='less')
                print(json.dumps({"t": two.statistic, "p": two.pvalue, "short": one.pvalue, "mse_a": a.mean(), "mse_b": b.mean()}))
                """,
                json));
    assertThat(result.target().t()).isCloseTo(expected.get("t").asDouble(), within(1e-9));
    assertThat(result.target().pairedTP()).isCloseTo(expected.get("p").asDouble(), within(1e-9));
    assertThat(result.shortfallP()).as("one-sided: the challenger's error is not lower").isCloseTo(expected.get("short").asDouble(), within(1e-9));
    assertThat(result.target().championMse()).isCloseTo(expected.get("mse_a").asDouble(), within(1e-12));
    assertThat(result.passed()).isEqualTo(expected.get("short").asDouble() >= 0.05);
  }

  @Test
  void aChallengerSignificantlyWorseFailsAndOneNoWorsePasses() {
    GuardConfig.Promote gate = new GuardConfig.Promote(Optional.empty(), Optional.empty(), 0, 0.05);
    PairedState worse = PairedState.empty(false, 0);
    PairedState same = PairedState.empty(false, 0);
    for (int i = 0; i < 400; i++) {
      boolean both = i % 2 == 0;
      worse.addClasses(true, both);
      same.addClasses(both, !both || i % 4 == 0);
    }
    Comparison.Model a = new Comparison.Model("champion", null);
    Comparison.Model b = new Comparison.Model("challenger", null);
    Comparison failed = ChampionChallenger.verdict(worse, 0, a, b, "holdout", "classification", gate);
    assertThat(failed.passed()).isFalse();
    assertThat(failed.classes().championOnly()).isEqualTo(200);
    assertThat(failed.improvement()).isCloseTo(-0.5, within(1e-12));
    Comparison passed = ChampionChallenger.verdict(same, 0, a, b, "holdout", "classification", gate);
    assertThat(passed.passed()).as(passed.line()).isTrue();
    assertThat(passed.classes().challengerAccuracy().low()).isLessThan(passed.classes().challengerAccuracy().value());
  }
  @Test
  void weightedRowsGiveScikitLearnsWeightedAccuraciesAndTheSandwichTestOfTheirDifference() throws Exception {
    Random random = new Random(5);
    PairedState state = PairedState.empty(false, 0, true);
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      boolean championRight = random.nextDouble() < 0.7;
      boolean challengerRight = random.nextDouble() < (championRight ? 0.85 : 0.4);
      double w = random.nextInt(25) / 8.0;
      rows.add(new double[] {championRight ? 1 : 0, challengerRight ? 1 : 0, w});
      state.addClasses(championRight, challengerRight, w);
    }
    GuardConfig.Promote gate = new GuardConfig.Promote(Optional.empty(), Optional.empty(), 0.01, 0.05);
    Comparison result =
        ChampionChallenger.verdict(
            state, 0, new Comparison.Model("a", null), new Comparison.Model("b", null), "holdout", "classification", Optional.of("w"), gate);
    JsonNode expected =
        JSON.readTree(
            Python.run(
                """
                import sys, json
                import numpy as np
                from scipy.stats import norm
                from sklearn.metrics import accuracy_score
                r = np.array(json.load(sys.stdin))
                a, b, w = r[:, 0], r[:, 1], r[:, 2]
                ones = np.ones(len(a))
                z = b - a
                mean = np.sum(w * z) / np.sum(w)
                n = np.sum(w) ** 2 / np.sum(w ** 2)
                se = np.sqrt(np.sum(w ** 2 * (z - mean) ** 2)) / np.sum(w) * np.sqrt(n / (n - 1))
                acc_b = accuracy_score(ones, b, sample_weight=w)
                zq = norm.ppf(1 - 0.05 / 2)
                centre = (acc_b + zq ** 2 / (2 * n)) / (1 + zq ** 2 / n)
                half = zq * np.sqrt(acc_b * (1 - acc_b) / n + zq ** 2 / (4 * n ** 2)) / (1 + zq ** 2 / n)
                print(json.dumps({"acc_a": accuracy_score(ones, a, sample_weight=w), "acc_b": acc_b, "low_b": centre - half,
                                  "high_b": centre + half, "mean": mean, "n": n, "short": norm.cdf((mean - 0.01) / se)}))
                """,
                JSON.writeValueAsString(rows)));
    assertThat(result.weighting().column()).isEqualTo("w");
    assertThat(result.classes().championAccuracy().value()).isCloseTo(expected.get("acc_a").asDouble(), within(1e-12));
    assertThat(result.classes().challengerAccuracy().value()).isCloseTo(expected.get("acc_b").asDouble(), within(1e-12));
    // Its Wilson interval at the effective rows, not at the 700 rows.
    assertThat(result.classes().challengerAccuracy().low()).isCloseTo(expected.get("low_b").asDouble(), within(1e-12));
    assertThat(result.classes().challengerAccuracy().high()).isCloseTo(expected.get("high_b").asDouble(), within(1e-12));
    assertThat(result.improvement()).isCloseTo(expected.get("mean").asDouble(), within(1e-12));
    assertThat(result.weighting().effectiveRows()).isCloseTo(expected.get("n").asDouble(), within(1e-9));
    assertThat(result.shortfallP()).isCloseTo(expected.get("short").asDouble(), within(1e-9));
    assertThat(result.passed()).isEqualTo(expected.get("short").asDouble() >= 0.05);
    assertThat(result.line()).contains("in weighted accuracy");
    // The weights matter: the same pairs counted give other accuracies.
    PairedState counted = PairedState.empty(false, 0);
    rows.forEach(r -> counted.addClasses(r[0] == 1, r[1] == 1));
    Comparison byRows = ChampionChallenger.verdict(counted, 0, new Comparison.Model("a", null), new Comparison.Model("b", null), "holdout", "classification", gate);
    assertThat(byRows.weighting()).isNull();
    assertThat(byRows.classes().championAccuracy().value()).isNotCloseTo(result.classes().championAccuracy().value(), within(1e-6));
    assertThat(byRows.classes().championOnly()).isEqualTo(result.classes().championOnly());
  }

  @Test
  void equalWeightsGiveThePairedTTestAndOtherWeightsItsWeightedForm() throws Exception {
    Random random = new Random(17);
    PairedState units = PairedState.empty(false, 0, true);
    PairedState weighted = PairedState.empty(false, 0, true);
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double champion = random.nextGaussian() * 1.1;
      double challenger = random.nextGaussian();
      double w = 0.25 + random.nextInt(12) / 4.0;
      rows.add(new double[] {champion, challenger, w});
      units.addTarget(champion, challenger, 1);
      weighted.addTarget(champion, challenger, w);
    }
    // A margin: the challenger must lower the champion's (weighted) MSE by 2%.
    GuardConfig.Promote gate = new GuardConfig.Promote(Optional.empty(), Optional.empty(), 0.02, 0.05);
    Comparison.Model a = new Comparison.Model("a", null);
    Comparison.Model b = new Comparison.Model("b", null);
    Comparison byUnits = ChampionChallenger.verdict(units, 0, a, b, "holdout", "regression", Optional.of("w"), gate);
    Comparison byWeight = ChampionChallenger.verdict(weighted, 0, a, b, "holdout", "regression", Optional.of("w"), gate);
    JsonNode expected =
        JSON.readTree(
            Python.run(
                """
                import sys, json
                import numpy as np
                from scipy.stats import ttest_rel, t as student
                r = np.array(json.load(sys.stdin))
                a, b, w = r[:, 0] ** 2, r[:, 1] ** 2, r[:, 2]
                plain = ttest_rel(a, b)
                d = a - b
                mean = np.sum(w * d) / np.sum(w)
                n = np.sum(w) ** 2 / np.sum(w ** 2)
                se = np.sqrt(np.sum(w ** 2 * (d - mean) ** 2)) / np.sum(w) * np.sqrt(n / (n - 1))
                mse_a = np.average(a, weights=w)
                print(json.dumps({"t": plain.statistic, "p": plain.pvalue, "mse_a": mse_a, "mse_b": np.average(b, weights=w),
                                  "improvement": mean / mse_a, "wt": mean / se, "wp": 2 * student.sf(abs(mean / se), n - 1),
                                  "short": student.cdf((mean - 0.02 * mse_a) / se, n - 1)}))
                """,
                JSON.writeValueAsString(rows)));
    assertThat(byUnits.target().t()).as("weights of 1: scipy's ttest_rel").isCloseTo(expected.get("t").asDouble(), within(1e-9));
    assertThat(byUnits.target().pairedTP()).isCloseTo(expected.get("p").asDouble(), within(1e-9));
    assertThat(byWeight.target().championMse()).isCloseTo(expected.get("mse_a").asDouble(), within(1e-12));
    assertThat(byWeight.target().challengerMse()).isCloseTo(expected.get("mse_b").asDouble(), within(1e-12));
    assertThat(byWeight.improvement()).isCloseTo(expected.get("improvement").asDouble(), within(1e-12));
    assertThat(byWeight.target().t()).isCloseTo(expected.get("wt").asDouble(), within(1e-9));
    assertThat(byWeight.target().pairedTP()).isCloseTo(expected.get("wp").asDouble(), within(1e-9));
    assertThat(byWeight.shortfallP()).isCloseTo(expected.get("short").asDouble(), within(1e-9));
    assertThat(byWeight.target().t()).isNotCloseTo(byUnits.target().t(), within(1e-3));
    assertThat(byWeight.target().n()).isEqualTo(400);
  }
  @Test
  void squaredErrorsTooLargeToSumAreNotFinite() {
    PairedState state = PairedState.empty(false, 0, true);
    state.addTarget(1, 2, 1);
    assertThat(state.finite()).isTrue();
    // (1e100)² = 1e200 is finite; its square, in Σd², is not: the test's variance would be infinite and its p 1/2.
    state.addTarget(1e100, 0, 1);
    assertThat(state.championSquares.value()).isFinite();
    assertThat(state.finite()).isFalse();
  }
}
