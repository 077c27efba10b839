package io.sparkfit.guard;

import io.sparkfit.features.ExactSum;
import io.sparkfit.metrics.AucState;
import java.io.Serializable;

/**
 * Two models' results on the same rows, paired row by row, as a mergeable state: for classes, how
 * many rows both, only the champion, only the challenger got right (McNemar's discordant pairs); for
 * a target, the exact sums of both squared errors and of their difference {@code d} and {@code d²};
 * for two classes, both models' AUC histograms. Counts and exact sums merge associatively and
 * commutatively, so the statistics do not depend on the partitioning.
 */
final class PairedState implements Serializable {
  private static final long serialVersionUID = 1L;

  long rows;
  long bothRight;
  long championOnly;
  long challengerOnly;
  final ExactSum championSquares = new ExactSum();
  final ExactSum challengerSquares = new ExactSum();
  /** d = the champion's squared error minus the challenger's: positive where the challenger is closer. */
  final ExactSum difference = new ExactSum();
  final ExactSum differenceSquares = new ExactSum();
  AucState championAuc;
  AucState challengerAuc;

  static PairedState empty(boolean binary, int bins) {
    PairedState state = new PairedState();
    if (binary) {
      state.championAuc = AucState.empty(2, bins);
      state.challengerAuc = AucState.empty(2, bins);
    }
    return state;
  }

  void addClasses(boolean championRight, boolean challengerRight) {
    rows++;
    if (championRight && challengerRight) {
      bothRight++;
    } else if (championRight) {
      championOnly++;
    } else if (challengerRight) {
      challengerOnly++;
    }
  }

  void addTarget(double championError, double challengerError) {
    rows++;
    double a = championError * championError;
    double b = challengerError * challengerError;
    championSquares.add(a);
    challengerSquares.add(b);
    double d = a - b;
    difference.add(d);
    differenceSquares.add(d * d);
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
    if (championAuc != null) {
      championAuc = championAuc.merge(other.championAuc);
      challengerAuc = challengerAuc.merge(other.challengerAuc);
    }
    return this;
  }
}
