package io.sparkfit.guard;

import io.sparkfit.features.ExactSum;
import io.sparkfit.metrics.AucState;
import io.sparkfit.metrics.CurveAreas;
import io.sparkfit.metrics.MetricState;
import io.sparkfit.metrics.WeightedAucState;
import java.io.Serializable;

/**
 * Two models' results on the same rows, paired row by row, as a mergeable state: for classes, how
 * many rows both, only the champion, only the challenger got right (McNemar's discordant pairs); for
 * a target, the exact sums of both squared errors and of their difference {@code d} and {@code d²};
 * for two classes, both models' AUC histograms. Counts and exact sums merge associatively and
 * commutatively, so the statistics do not depend on the partitioning.
 *
 * <p>Each row also adds its weight {@code w} (1 when the models weigh no rows) to the weighted sums
 * the weighted comparison reads: {@code Σw} and {@code Σw²}, and for the paired difference {@code z}
 * of the two models (for classes +1 where only the challenger is right, -1 where only the champion
 * is, else 0; for a target {@code d}) {@code Σwz}, {@code Σw²z} and {@code Σw²z²}, all that the
 * weighted mean of {@code z} and its sandwich variance need. A weighted state's AUC histograms hold
 * weights ({@link WeightedAucState}).
 */
final class PairedState implements Serializable {
  private static final long serialVersionUID = 2L;

  long rows;
  long bothRight;
  long championOnly;
  long challengerOnly;
  final ExactSum championSquares = new ExactSum();
  final ExactSum challengerSquares = new ExactSum();
  /** d = the champion's squared error minus the challenger's: positive where the challenger is closer. */
  final ExactSum difference = new ExactSum();
  final ExactSum differenceSquares = new ExactSum();

  final ExactSum weight = new ExactSum();
  final ExactSum weightSquares = new ExactSum();
  /** Σw of the rows both models got right (classes). */
  final ExactSum weightBothRight = new ExactSum();
  /** Σw of the rows only the champion, only the challenger got right (classes). */
  final ExactSum weightChampionOnly = new ExactSum();
  final ExactSum weightChallengerOnly = new ExactSum();
  /** Σw·(squared error) of each model (a target). */
  final ExactSum weightedChampionSquares = new ExactSum();
  final ExactSum weightedChallengerSquares = new ExactSum();
  /** Σw·z, Σw²·z and Σw²·z² of the paired difference z. */
  final ExactSum weightedDifference = new ExactSum();
  final ExactSum squaredWeightDifference = new ExactSum();
  final ExactSum squaredWeightDifferenceSquares = new ExactSum();

  /** Both models' AUC histograms for two classes ({@link AucState}, or {@link WeightedAucState} when weighted), else null. */
  MetricState championAuc;
  MetricState challengerAuc;

  static PairedState empty(boolean binary, int bins, boolean weighted) {
    PairedState state = new PairedState();
    if (binary) {
      state.championAuc = weighted ? WeightedAucState.empty(2, bins) : AucState.empty(2, bins);
      state.challengerAuc = weighted ? WeightedAucState.empty(2, bins) : AucState.empty(2, bins);
    }
    return state;
  }

  static PairedState empty(boolean binary, int bins) {
    return empty(binary, bins, false);
  }

  void addClasses(boolean championRight, boolean challengerRight) {
    addClasses(championRight, challengerRight, 1);
  }

  void addClasses(boolean championRight, boolean challengerRight, double w) {
    rows++;
    addWeight(w);
    if (championRight && challengerRight) {
      bothRight++;
      weightBothRight.add(w);
    } else if (championRight) {
      championOnly++;
      weightChampionOnly.add(w);
      addDifference(-1, w);
    } else if (challengerRight) {
      challengerOnly++;
      weightChallengerOnly.add(w);
      addDifference(1, w);
    }
  }

  void addTarget(double championError, double challengerError) {
    addTarget(championError, challengerError, 1);
  }

  void addTarget(double championError, double challengerError, double w) {
    rows++;
    addWeight(w);
    double a = championError * championError;
    double b = challengerError * challengerError;
    championSquares.add(a);
    challengerSquares.add(b);
    double d = a - b;
    difference.add(d);
    differenceSquares.add(d * d);
    weightedChampionSquares.add(w * a);
    weightedChallengerSquares.add(w * b);
    addDifference(d, w);
  }

  /** Adds both models' class probabilities of a row of class {@code actual} to the AUC histograms. */
  void addAreas(float[] championP, float[] challengerP, int actual, double w) {
    if (championAuc instanceof WeightedAucState weighted) {
      weighted.add(championP, actual, w);
      ((WeightedAucState) challengerAuc).add(challengerP, actual, w);
    } else {
      ((AucState) championAuc).add(championP, actual);
      ((AucState) challengerAuc).add(challengerP, actual);
    }
  }

  private void addWeight(double w) {
    weight.add(w);
    weightSquares.add(w * w);
  }

  private void addDifference(double z, double w) {
    double w2 = w * w;
    weightedDifference.add(w * z);
    squaredWeightDifference.add(w2 * z);
    squaredWeightDifferenceSquares.add(w2 * z * z);
  }

  /**
   * Whether every sum is finite: squared errors that overflow would make the variance infinite and
   * the test's p-value 1/2, a pass.
   */
  boolean finite() {
    for (ExactSum sum : new ExactSum[] {championSquares, challengerSquares, difference, differenceSquares, weight, weightSquares,
        weightBothRight, weightChampionOnly, weightChallengerOnly, weightedChampionSquares, weightedChallengerSquares,
        weightedDifference, squaredWeightDifference, squaredWeightDifferenceSquares}) {
      if (!Double.isFinite(sum.value())) {
        return false;
      }
    }
    return true;
  }

  CurveAreas championAreas() {
    return (CurveAreas) championAuc;
  }

  CurveAreas challengerAreas() {
    return (CurveAreas) challengerAuc;
  }

  PairedState merge(PairedState other) {
    rows += other.rows;
    bothRight += other.bothRight;
    championOnly += other.championOnly;
    challengerOnly += other.challengerOnly;
    championSquares.merge(other.championSquares);
    challengerSquares.merge(other.challengerSquares);
    difference.merge(other.difference);
    differenceSquares.merge(other.differenceSquares);
    weight.merge(other.weight);
    weightSquares.merge(other.weightSquares);
    weightBothRight.merge(other.weightBothRight);
    weightChampionOnly.merge(other.weightChampionOnly);
    weightChallengerOnly.merge(other.weightChallengerOnly);
    weightedChampionSquares.merge(other.weightedChampionSquares);
    weightedChallengerSquares.merge(other.weightedChallengerSquares);
    weightedDifference.merge(other.weightedDifference);
    squaredWeightDifference.merge(other.squaredWeightDifference);
    squaredWeightDifferenceSquares.merge(other.squaredWeightDifferenceSquares);
    if (championAuc != null) {
      championAuc = championAuc.merge(other.championAuc);
      challengerAuc = challengerAuc.merge(other.challengerAuc);
    }
    return this;
  }
}
