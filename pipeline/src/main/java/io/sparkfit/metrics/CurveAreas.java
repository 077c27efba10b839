package io.sparkfit.metrics;

/** AUC-ROC and AUC-PR from threshold histograms, counted ({@link AucState}) or weighted ({@link WeightedAucState}). */
public interface CurveAreas {
  /** AUC-ROC: of the positive class for two classes, else the macro average over classes one-vs-rest. */
  double rocAuc();

  /** AUC-PR, averaged as {@link #rocAuc()}. */
  double prAuc();

  /** Class {@code classIndex}'s AUC-ROC against the rest. */
  double rocAuc(int classIndex);

  /** The histograms' bins, uniform in the logit of the probability. */
  int bins();
}
