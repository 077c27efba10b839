package io.sparkfit.guard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.GuardConfig;
import io.sparkfit.data.ReadFailures;
import io.sparkfit.data.ScoringTable;
import io.sparkfit.data.TableReader;
import io.sparkfit.features.Features;
import io.sparkfit.inputs.LabelIndex;
import io.sparkfit.inputs.LabelKind;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.score.Scoring;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The champion/challenger gate: both models score the same labelled rows in one Spark pass (the
 * challenger's scoring runs in the same tasks as the champion's, on the rows the champion just
 * scored), each partition pairs their results row by row into a {@link PairedState}, and the merged
 * state gives exact paired statistics and the verdict.
 */
public final class ChampionChallenger {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LABEL = "__sparkfit_label";
  private static final String CHAMPION_FEATURES = "__sparkfit_champion_features";
  private static final String CHALLENGER_FEATURES = "__sparkfit_challenger_features";
  private static final String CHAMPION = "__sparkfit_champion";
  private static final String CHAMPION_P = "__sparkfit_champion_p";
  private static final String CHALLENGER = "__sparkfit_challenger";
  private static final String CHALLENGER_P = "__sparkfit_challenger_p";
  private static final String WEIGHT = "__sparkfit_weight";

  private ChampionChallenger() {}

  /** A model and where it was read from. */
  public record Named(String path, TrainedModel model) {}

  /**
   * Scores {@code data} (labelled Parquet) with both models and returns the gate's result. Rows either
   * model cannot take (invalid features, no label, an invalid weight) are skipped by both, and
   * counted. When the models were trained with a weight column, each row weighs what that column
   * says, in every statistic and in the gate's test.
   */
  public static Comparison compare(
      SparkSession spark, Named champion, Named challenger, String data, String dataKey, GuardConfig.Promote gate, int batchSize, int aucBins) {
    TrainedModel a = champion.model();
    TrainedModel b = challenger.model();
    InvalidInputException.check(
        a.task() == b.task(), "the champion %s is a %s model, the challenger %s a %s one: they cannot be compared",
        champion.path(), a.task(), challenger.path(), b.task());
    InvalidInputException.check(
        a.labelColumn().name().equals(b.labelColumn().name()),
        "the champion %s predicts label column '%s', the challenger %s '%s': they cannot be compared",
        champion.path(), a.labelColumn().name(), challenger.path(), b.labelColumn().name());
    InvalidInputException.check(
        a.labelIndex().equals(b.labelIndex()) || !a.labelIndex().kind().isClass(),
        "the champion %s has classes %s, the challenger %s %s: they cannot be compared",
        champion.path(), a.labelIndex().values(), challenger.path(), b.labelIndex().values());
    Optional<String> weightColumn = weightColumn(champion, challenger);
    try {
      return scoreBoth(spark, champion, challenger, weightColumn, data, dataKey, gate, batchSize, aucBins);
    } catch (RuntimeException e) {
      throw ReadFailures.explain(e, Map.of(dataKey, data));
    }
  }

  /**
   * The column the holdout's rows are weighed by: the one the models were trained with
   * ({@code data.weight-column}), which they must share when both have one; when only one has, the
   * comparison weighs the rows as that model's metrics do.
   */
  private static Optional<String> weightColumn(Named champion, Named challenger) {
    Optional<String> a = champion.model().inputs().metricColumns().weightColumn();
    Optional<String> b = challenger.model().inputs().metricColumns().weightColumn();
    InvalidInputException.check(
        a.isEmpty() || b.isEmpty() || a.equals(b),
        "the champion %s weighs rows by column '%s', the challenger %s by '%s' (data.weight-column): they cannot be compared",
        champion.path(), a.orElse(""), challenger.path(), b.orElse(""));
    return a.or(() -> b);
  }

  private static Comparison scoreBoth(
      SparkSession spark,
      Named champion,
      Named challenger,
      Optional<String> weightColumn,
      String data,
      String dataKey,
      GuardConfig.Promote gate,
      int batchSize,
      int aucBins) {
    TrainedModel a = champion.model();
    TrainedModel b = challenger.model();
    Dataset<Row> table = TableReader.read(spark, data, dataKey);
    ScoringTable forChampion = ScoringTable.of(table, a.inputs(), true, data);
    ScoringTable forChallenger = ScoringTable.of(table, b.inputs(), true, data);
    String label = a.labelColumn().name();
    // Valid as evaluate finds weights valid (on the column's own values; ScoringTable.of checked the
    // column's type for the model that has it), then as float32, like the weights of a weighted
    // model's evaluate metrics (its minibatch masks): past float32's range, skipped.
    Column validWeight = weightColumn.map(w -> ScoringTable.validWeight(Features.column(w))).orElse(functions.lit(true));
    Column weight = weightColumn.map(w -> Features.column(w).cast("float").cast("double")).orElse(functions.lit(1.0));
    Dataset<Row> input =
        table
            .filter(validWeight)
            .select(
                Features.column(label).as(LABEL),
                weight.as(WEIGHT),
                forChallenger.features().as(CHALLENGER_FEATURES),
                forChampion.features().as(CHAMPION_FEATURES))
            .filter(
                functions.col(LABEL).isNotNull()
                    .and(functions.col(WEIGHT).lt(Double.POSITIVE_INFINITY))
                    .and(ScoringTable.validFeatures(functions.col(CHAMPION_FEATURES), a.featureSpec()))
                    .and(ScoringTable.validFeatures(functions.col(CHALLENGER_FEATURES), b.featureSpec())));
    boolean isClass = a.labelIndex().kind().isClass();
    if (a.labelIndex().kind() == LabelKind.DOUBLE_CLASS || !isClass) {
      // NaN and infinite labels score nothing: skipped by both models, and counted.
      input = input.filter(functions.abs(functions.col(LABEL)).lt(Double.POSITIVE_INFINITY));
    }
    Dataset<Row> byChampion =
        Scoring.score(input.withColumnRenamed(CHAMPION_FEATURES, ScoringTable.FEATURES), a, CHAMPION, CHAMPION_P, batchSize);
    List<Column> kept = new ArrayList<>();
    for (String name : byChampion.columns()) {
      if (!name.equals(CHALLENGER_FEATURES)) {
        kept.add(functions.col(name));
      }
    }
    kept.add(functions.col(CHALLENGER_FEATURES).as(ScoringTable.FEATURES));
    Dataset<Row> byBoth = Scoring.score(byChampion.select(kept.toArray(Column[]::new)), b, CHALLENGER, CHALLENGER_P, batchSize);
    List<Column> paired =
        new ArrayList<>(List.of(functions.col(LABEL), functions.col(CHAMPION), functions.col(CHALLENGER), functions.col(WEIGHT)));
    if (isClass) {
      paired.add(functions.col(CHAMPION_P));
      paired.add(functions.col(CHALLENGER_P));
    }
    boolean binary = isClass && a.labelIndex().size() == 2;
    PairedState state =
        byBoth
            .select(paired.toArray(Column[]::new))
            .javaRDD()
            .mapPartitions(new PairPartition(a.labelIndex(), label, binary, aucBins, weightColumn.isPresent()))
            .fold(PairedState.empty(binary, aucBins, weightColumn.isPresent()), PairedState::merge);
    // A second, cheap job: Parquet answers a count from its footers, without reading the values.
    long rows = table.count();
    InvalidInputException.check(
        state.finite(),
        "a model predicts values that are not finite, or too large to square and sum, on %s = %s (squared errors: champion %s, "
            + "challenger %s): they cannot be compared",
        dataKey, data, state.championSquares.value(), state.challengerSquares.value());
    InvalidInputException.check(
        state.rows > 1, "%s = %s has %d rows both models can score (of %d): too few to compare them", dataKey, data, state.rows, rows);
    return verdict(
        state, rows - state.rows, describe(champion), describe(challenger), data, a.task().name().toLowerCase(java.util.Locale.ROOT), weightColumn,
        gate);
  }

  private static Comparison.Model describe(Named model) {
    return new Comparison.Model(
        model.path(), model.model().provenance().map(p -> (com.fasterxml.jackson.databind.JsonNode) JSON.valueToTree(p.withoutDriftReference())).orElse(null));
  }

  /** The statistics and the verdict of a merged state whose rows weigh the same. */
  static Comparison verdict(
      PairedState s, long skipped, Comparison.Model champion, Comparison.Model challenger, String data, String task, GuardConfig.Promote gate) {
    return verdict(s, skipped, champion, challenger, data, task, Optional.empty(), gate);
  }

  /**
   * The statistics and the verdict of a merged state. Rows weighed by {@code weightColumn} make every
   * accuracy, mean squared error and AUC weighted, and the gate's test a test of the weighted mean
   * paired difference; the counts of the discordant pairs and McNemar's exact p stay those of the rows.
   */
  static Comparison verdict(
      PairedState s,
      long skipped,
      Comparison.Model champion,
      Comparison.Model challenger,
      String data,
      String task,
      Optional<String> weightColumn,
      GuardConfig.Promote gate) {
    double m = gate.minImprovement();
    double alpha = gate.alpha();
    long n = s.rows;
    InvalidInputException.check(n > 1, "%s has %d rows both models can score: too few to compare them", data, n);
    boolean isClass = "classification".equals(task);
    WeightedDifference weighted = weightColumn.isPresent() ? WeightedDifference.of(s) : null;
    Comparison.Weighting weighting = weightColumn.map(w -> weighting(s, weighted, w, isClass)).orElse(null);
    InvalidInputException.check(
        weighted == null || weighted.effectiveRows() > 1,
        "%s has rows of total weight %s in weight column '%s' (effective rows %s): too little to compare the models",
        data, s.weight.value(), weightColumn.orElse(""), weighted == null ? 0 : weighted.effectiveRows());
    Comparison.Classes classes = null;
    Comparison.Target target = null;
    Comparison.Auc auc = null;
    double improvement;
    double shortfall;
    String test;
    if (isClass) {
      long b = s.championOnly;
      long c = s.challengerOnly;
      if (weighted == null) {
        classes =
            new Comparison.Classes(
                PairedStatistics.wilson(s.bothRight + b, n, alpha),
                PairedStatistics.wilson(s.bothRight + c, n, alpha),
                s.bothRight, b, c, PairedStatistics.mcnemarExact(b, c));
        improvement = (double) (c - b) / n;
        if (m == 0) {
          shortfall = PairedStatistics.lowerTail(c, b + c);
          test = "McNemar's exact test, one-sided, on the discordant pairs";
        } else {
          double variance = (double) (b + c) / n - improvement * improvement;
          shortfall = normalShortfall(improvement, m, Math.sqrt(Math.max(0, variance) / n));
          test = "normal approximation of the paired difference in accuracy, one-sided";
        }
      } else {
        double w = s.weight.value();
        double rowsEffective = weighted.effectiveRows();
        classes =
            new Comparison.Classes(
                PairedStatistics.wilson((s.weightBothRight.value() + s.weightChampionOnly.value()) / w, rowsEffective, alpha),
                PairedStatistics.wilson((s.weightBothRight.value() + s.weightChallengerOnly.value()) / w, rowsEffective, alpha),
                s.bothRight, b, c, PairedStatistics.mcnemarExact(b, c));
        improvement = weighted.mean();
        shortfall = normalShortfall(improvement, m, weighted.standardError());
        test = "normal approximation of the weighted paired difference in accuracy (sandwich variance), one-sided";
      }
      if (s.championAuc != null) {
        double championAuc = s.championAreas().rocAuc();
        double challengerAuc = s.challengerAreas().rocAuc();
        auc =
            new Comparison.Auc(
                championAuc,
                challengerAuc,
                challengerAuc - championAuc,
                "each model's " + (weighted == null ? "" : "weighted ") + "ROC AUC from its own " + s.championAreas().bins()
                    + "-bin histogram of logits; the difference is reported, not tested");
      }
    } else {
      double championMse;
      double challengerMse;
      double mean;
      double se;
      double degrees;
      if (weighted == null) {
        championMse = s.championSquares.value() / n;
        challengerMse = s.challengerSquares.value() / n;
        mean = s.difference.value() / n;
        double variance = Math.max(0, (s.differenceSquares.value() - n * mean * mean) / (n - 1));
        se = Math.sqrt(variance / n);
        degrees = n - 1;
        test = "paired t-test of the squared errors, one-sided";
      } else {
        championMse = s.weightedChampionSquares.value() / s.weight.value();
        challengerMse = s.weightedChallengerSquares.value() / s.weight.value();
        mean = weighted.mean();
        se = weighted.standardError();
        degrees = weighted.effectiveRows() - 1;
        test = "t-test of the weighted mean paired difference of the squared errors (sandwich variance, effective rows - 1 degrees of freedom), one-sided";
      }
      double t = se == 0 ? (mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean)) : mean / se;
      double twoSided = se == 0 ? (mean == 0 ? 1 : 0) : 2 * (1 - PairedStatistics.studentCdf(Math.abs(t), degrees));
      target = new Comparison.Target(championMse, challengerMse, n, s.difference.value(), s.differenceSquares.value(), mean, t, twoSided);
      improvement = championMse == 0 ? 0 : mean / championMse;
      double margin = m * championMse;
      shortfall = se == 0 ? (mean < margin ? 0 : 1) : PairedStatistics.studentCdf((mean - margin) / se, degrees);
    }
    boolean passed = shortfall >= alpha;
    Comparison result =
        new Comparison(
            champion, challenger, data, n, skipped, task, weighting, classes, target, auc, improvement, m, alpha, shortfall, test, passed, "");
    return new Comparison(
        champion, challenger, data, n, skipped, task, weighting, classes, target, auc, improvement, m, alpha, shortfall, test, passed,
        result.line());
  }

  /** P(an improvement as low as {@code improvement} | the true one is {@code m}), normal with error {@code se}; 0 or 1 when se is 0. */
  private static double normalShortfall(double improvement, double m, double se) {
    return se == 0 ? (improvement < m ? 0 : 1) : PairedStatistics.normalCdf((improvement - m) / se);
  }

  private static Comparison.Weighting weighting(PairedState s, WeightedDifference weighted, String column, boolean isClass) {
    return new Comparison.Weighting(
        column,
        s.weight.value(),
        s.weightSquares.value(),
        weighted.effectiveRows(),
        isClass ? s.weightChampionOnly.value() : null,
        isClass ? s.weightChallengerOnly.value() : null,
        s.weightedDifference.value(),
        s.squaredWeightDifference.value(),
        s.squaredWeightDifferenceSquares.value());
  }

  /**
   * The weighted mean of the paired difference z, {@code Σwz / Σw}, and its standard error by the
   * sandwich estimator {@code sqrt(Σw²(z - mean)²) / Σw}, scaled by {@code sqrt(n/(n - 1))} at Kish's
   * effective rows {@code n = (Σw)² / Σw²} so that equal weights give the paired t-test's error.
   */
  private record WeightedDifference(double mean, double standardError, double effectiveRows) {
    static WeightedDifference of(PairedState s) {
      double w = s.weight.value();
      double q = s.weightSquares.value();
      double effective = q == 0 ? 0 : w * w / q;
      double mean = w == 0 ? 0 : s.weightedDifference.value() / w;
      double spread = s.squaredWeightDifferenceSquares.value() - 2 * mean * s.squaredWeightDifference.value() + mean * mean * q;
      // The variance takes n/(n - 1), so the standard error sqrt(n/(n - 1)).
      double variance = effective > 1 ? Math.max(0, spread) / (w * w) * effective / (effective - 1) : 0;
      return new WeightedDifference(mean, Math.sqrt(variance), effective);
    }
  }

  /** Pairs one partition's rows: label, both predictions, and for classes both probability vectors. */
  private static final class PairPartition implements FlatMapFunction<Iterator<Row>, PairedState> {
    private static final long serialVersionUID = 1L;
    private final LabelIndex labels;
    private final String labelColumn;
    private final boolean binary;
    private final int aucBins;
    private final boolean weighted;

    PairPartition(LabelIndex labels, String labelColumn, boolean binary, int aucBins, boolean weighted) {
      this.labels = labels;
      this.labelColumn = labelColumn;
      this.binary = binary;
      this.aucBins = aucBins;
      this.weighted = weighted;
    }

    @Override
    public Iterator<PairedState> call(Iterator<Row> rows) {
      PairedState state = PairedState.empty(binary, aucBins, weighted);
      boolean isClass = labels.kind().isClass();
      while (rows.hasNext()) {
        Row row = rows.next();
        double w = row.getDouble(3);
        if (isClass) {
          if (!labels.contains(row.get(0))) {
            // A class neither model knows: skipped by both, and counted.
            continue;
          }
          Object actual = LabelIndex.canonical(labels.kind(), row.get(0));
          state.addClasses(
              Objects.equals(actual, LabelIndex.canonical(labels.kind(), row.get(1))),
              Objects.equals(actual, LabelIndex.canonical(labels.kind(), row.get(2))),
              w);
          if (binary) {
            state.addAreas(probabilities(row.getList(4)), probabilities(row.getList(5)), labels.indexOf(row.get(0), labelColumn), w);
          }
        } else {
          double y = ((Number) row.get(0)).doubleValue();
          state.addTarget(y - row.getDouble(1), y - row.getDouble(2), w);
        }
      }
      return List.of(state).iterator();
    }

    private static float[] probabilities(List<Object> values) {
      float[] out = new float[values.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) values.get(i)).floatValue();
      }
      return out;
    }
  }
}
