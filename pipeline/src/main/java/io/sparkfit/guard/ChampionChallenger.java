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
import io.sparkfit.metrics.AucState;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.score.Scoring;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

  private ChampionChallenger() {}

  /** A model and where it was read from. */
  public record Named(String path, TrainedModel model) {}

  /**
   * Scores {@code data} (labelled Parquet) with both models and returns the gate's result. Rows either
   * model cannot take (invalid features, no label) are skipped by both, and counted.
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
    try {
      return scoreBoth(spark, champion, challenger, data, dataKey, gate, batchSize, aucBins);
    } catch (RuntimeException e) {
      throw ReadFailures.explain(e, Map.of(dataKey, data));
    }
  }

  private static Comparison scoreBoth(
      SparkSession spark, Named champion, Named challenger, String data, String dataKey, GuardConfig.Promote gate, int batchSize, int aucBins) {
    TrainedModel a = champion.model();
    TrainedModel b = challenger.model();
    Dataset<Row> table = TableReader.read(spark, data, dataKey);
    ScoringTable forChampion = ScoringTable.of(table, a.inputs(), true, data);
    ScoringTable forChallenger = ScoringTable.of(table, b.inputs(), true, data);
    String label = a.labelColumn().name();
    Dataset<Row> input =
        table
            .select(
                Features.column(label).as(LABEL),
                forChallenger.features().as(CHALLENGER_FEATURES),
                forChampion.features().as(CHAMPION_FEATURES))
            .filter(
                functions.col(LABEL).isNotNull()
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
    List<Column> paired = new ArrayList<>(List.of(functions.col(LABEL), functions.col(CHAMPION), functions.col(CHALLENGER)));
    if (isClass) {
      paired.add(functions.col(CHAMPION_P));
      paired.add(functions.col(CHALLENGER_P));
    }
    boolean binary = isClass && a.labelIndex().size() == 2;
    PairedState state =
        byBoth
            .select(paired.toArray(Column[]::new))
            .javaRDD()
            .mapPartitions(new PairPartition(a.labelIndex(), label, binary, aucBins))
            .fold(PairedState.empty(binary, aucBins), PairedState::merge);
    // A second, cheap job: Parquet answers a count from its footers, without reading the values.
    long rows = table.count();
    InvalidInputException.check(
        Double.isFinite(state.championSquares.value()) && Double.isFinite(state.challengerSquares.value()),
        "a model predicts values that are not finite on %s = %s (squared errors: champion %s, challenger %s): they cannot be compared",
        dataKey, data, state.championSquares.value(), state.challengerSquares.value());
    InvalidInputException.check(
        state.rows > 1, "%s = %s has %d rows both models can score (of %d): too few to compare them", dataKey, data, state.rows, rows);
    return verdict(state, rows - state.rows, describe(champion), describe(challenger), data, a.task().name().toLowerCase(java.util.Locale.ROOT), gate);
  }

  private static Comparison.Model describe(Named model) {
    return new Comparison.Model(
        model.path(), model.model().provenance().map(p -> (com.fasterxml.jackson.databind.JsonNode) JSON.valueToTree(p.withoutDriftReference())).orElse(null));
  }

  /** The statistics and the verdict of a merged state. */
  static Comparison verdict(
      PairedState s, long skipped, Comparison.Model champion, Comparison.Model challenger, String data, String task, GuardConfig.Promote gate) {
    double m = gate.minImprovement();
    double alpha = gate.alpha();
    long n = s.rows;
    InvalidInputException.check(n > 1, "%s has %d rows both models can score: too few to compare them", data, n);
    Comparison.Classes classes = null;
    Comparison.Target target = null;
    Comparison.Auc auc = null;
    double improvement;
    double shortfall;
    String test;
    if ("classification".equals(task)) {
      long b = s.championOnly;
      long c = s.challengerOnly;
      long championRight = s.bothRight + b;
      long challengerRight = s.bothRight + c;
      classes =
          new Comparison.Classes(
              PairedStatistics.wilson(championRight, n, alpha),
              PairedStatistics.wilson(challengerRight, n, alpha),
              s.bothRight,
              b,
              c,
              PairedStatistics.mcnemarExact(b, c));
      improvement = (double) (c - b) / n;
      if (m == 0) {
        shortfall = PairedStatistics.lowerTail(c, b + c);
        test = "McNemar's exact test, one-sided, on the discordant pairs";
      } else {
        double variance = (double) (b + c) / n - improvement * improvement;
        double se = Math.sqrt(Math.max(0, variance) / n);
        shortfall = se == 0 ? (improvement < m ? 0 : 1) : PairedStatistics.normalCdf((improvement - m) / se);
        test = "normal approximation of the paired difference in accuracy, one-sided";
      }
      if (s.championAuc != null) {
        double championAuc = s.championAuc.rocAuc();
        double challengerAuc = s.challengerAuc.rocAuc();
        auc =
            new Comparison.Auc(
                championAuc,
                challengerAuc,
                challengerAuc - championAuc,
                "each model's ROC AUC from its own " + s.championAuc.bins() + "-bin histogram of logits; the difference is reported, not tested");
      }
    } else {
      double championMse = s.championSquares.value() / n;
      double challengerMse = s.challengerSquares.value() / n;
      double sum = s.difference.value();
      double squares = s.differenceSquares.value();
      double mean = sum / n;
      double variance = Math.max(0, (squares - n * mean * mean) / (n - 1));
      double se = Math.sqrt(variance / n);
      double t = se == 0 ? (mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean)) : mean / se;
      double twoSided = se == 0 ? (mean == 0 ? 1 : 0) : 2 * (1 - PairedStatistics.studentCdf(Math.abs(t), n - 1));
      target = new Comparison.Target(championMse, challengerMse, n, sum, squares, mean, t, twoSided);
      improvement = championMse == 0 ? 0 : mean / championMse;
      double margin = m * championMse;
      shortfall = se == 0 ? (mean < margin ? 0 : 1) : PairedStatistics.studentCdf((mean - margin) / se, n - 1);
      test = "paired t-test of the squared errors, one-sided";
    }
    boolean passed = shortfall >= alpha;
    Comparison result =
        new Comparison(champion, challenger, data, n, skipped, task, classes, target, auc, improvement, m, alpha, shortfall, test, passed, "");
    return new Comparison(
        champion, challenger, data, n, skipped, task, classes, target, auc, improvement, m, alpha, shortfall, test, passed, result.line());
  }

  /** Pairs one partition's rows: label, both predictions, and for classes both probability vectors. */
  private static final class PairPartition implements FlatMapFunction<Iterator<Row>, PairedState> {
    private static final long serialVersionUID = 1L;
    private final LabelIndex labels;
    private final String labelColumn;
    private final boolean binary;
    private final int aucBins;

    PairPartition(LabelIndex labels, String labelColumn, boolean binary, int aucBins) {
      this.labels = labels;
      this.labelColumn = labelColumn;
      this.binary = binary;
      this.aucBins = aucBins;
    }

    @Override
    public Iterator<PairedState> call(Iterator<Row> rows) {
      PairedState state = PairedState.empty(binary, aucBins);
      boolean isClass = labels.kind().isClass();
      while (rows.hasNext()) {
        Row row = rows.next();
        if (isClass) {
          if (!labels.contains(row.get(0))) {
            // A class neither model knows: skipped by both, and counted.
            continue;
          }
          Object actual = LabelIndex.canonical(labels.kind(), row.get(0));
          state.addClasses(
              Objects.equals(actual, LabelIndex.canonical(labels.kind(), row.get(1))),
              Objects.equals(actual, LabelIndex.canonical(labels.kind(), row.get(2))));
          if (binary) {
            int index = labels.indexOf(row.get(0), labelColumn);
            state.championAuc.add(probabilities(row.getList(3)), index);
            state.challengerAuc.add(probabilities(row.getList(4)), index);
          }
        } else {
          double y = ((Number) row.get(0)).doubleValue();
          state.addTarget(y - row.getDouble(1), y - row.getDouble(2));
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
