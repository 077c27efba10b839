package io.sparkfit.score;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Exact AUC-ROC and AUC-PR from a distributed sort, never collecting scores on the driver. Equal
 * scores are first merged into one point (with their positive and negative weights, so ties count
 * half, as in the Mann-Whitney statistic), the distinct scores are sorted across partitions, each
 * partition's totals come back (one pair per partition), and a second pass adds up each partition's
 * share of the areas from those offsets. AUC-PR is the trapezoid rule over (recall, precision)
 * points, starting at recall 0 with the first point's precision, as in Spark's
 * {@code BinaryClassificationMetrics}.
 *
 * <p>Each example counts with its weight ({@code data.weight-column}, else 1): the areas are those of
 * the weighted ROC and PR curves, as scikit-learn's {@code sample_weight} draws them. Unit weights sum
 * exactly in doubles (up to 2^53 examples), so unweighted areas are the counted ones.
 */
final class ExactAuc {
  private ExactAuc() {}

  /** The two areas; NaN when there are no positives or no negatives. */
  public record Areas(double roc, double pr) {}

  /** One scored example for one class: its score for the class, whether it belongs to it, and its weight. */
  public record Scored(double score, boolean positive, double weight) implements Serializable {}

  public static Areas compute(JavaRDD<Scored> scored) {
    JavaPairRDD<Double, double[]> distinct =
        scored
            .mapToPair(s -> new Tuple2<>(s.score(), s.positive() ? new double[] {s.weight(), 0} : new double[] {0, s.weight()}))
            .reduceByKey((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]})
            .sortByKey(true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<double[]> totals =
          distinct
              .mapPartitionsWithIndex(
                  (index, points) -> {
                    double p = 0;
                    double n = 0;
                    while (points.hasNext()) {
                      double[] c = points.next()._2();
                      p += c[0];
                      n += c[1];
                    }
                    return List.of(new double[] {index, p, n}).iterator();
                  },
                  true)
              .collect();
      int partitions = totals.size();
      double[][] below = new double[partitions][2];
      double positives = 0;
      double negatives = 0;
      for (double[] t : totals) {
        below[(int) t[0]][0] = positives;
        below[(int) t[0]][1] = negatives;
        positives += t[1];
        negatives += t[2];
      }
      if (positives == 0 || negatives == 0) {
        return new Areas(Double.NaN, Double.NaN);
      }
      double allPositives = positives;
      double allNegatives = negatives;
      double[] sums =
          distinct
              .mapPartitionsWithIndex(
                  (index, points) -> List.of(partitionAreas(points, below[index], allPositives, allNegatives)).iterator(), true)
              .reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
      return new Areas(sums[0] / (allPositives * allNegatives), sums[1]);
    } finally {
      distinct.unpersist(false);
    }
  }

  /**
   * One partition's share, for distinct scores in ascending order. ROC: each positive outranks the
   * negatives below it, and ties half. PR: the point of threshold {@code s} counts every example
   * scored at least {@code s}; each point is joined to the next higher threshold's, which follows
   * from its own counts, so no partition needs its neighbour's points.
   */
  private static double[] partitionAreas(Iterator<Tuple2<Double, double[]>> points, double[] below, double positives, double negatives) {
    double positivesBelow = below[0];
    double negativesBelow = below[1];
    double roc = 0;
    double pr = 0;
    while (points.hasNext()) {
      double[] c = points.next()._2();
      double p = c[0];
      double n = c[1];
      if (p == 0 && n == 0) {
        continue; // only examples of weight 0: not a point of either curve
      }
      roc += p * (negativesBelow + 0.5 * n);
      double truePositives = positives - positivesBelow;
      double falsePositives = negatives - negativesBelow;
      double recall = truePositives / positives;
      double precision = truePositives / (truePositives + falsePositives);
      double higherTruePositives = truePositives - p;
      double higherFalsePositives = falsePositives - n;
      double higherRecall;
      double higherPrecision;
      if (higherTruePositives + higherFalsePositives == 0) {
        higherRecall = 0;
        higherPrecision = precision;
      } else {
        higherRecall = higherTruePositives / positives;
        higherPrecision = higherTruePositives / (higherTruePositives + higherFalsePositives);
      }
      pr += (recall - higherRecall) * (precision + higherPrecision) / 2;
      positivesBelow += p;
      negativesBelow += n;
    }
    return new double[] {roc, pr};
  }

  /** One example's label index, class probabilities and weight. */
  public record Labelled(int label, double[] probabilities, double weight) implements Serializable {}

  /** The areas for every class against the rest. */
  public static List<Areas> perClass(JavaRDD<Labelled> scored, int classes) {
    List<Areas> areas = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      areas.add(forClass(scored, c));
    }
    return areas;
  }

  /** The areas of class {@code c} against the rest. */
  public static Areas forClass(JavaRDD<Labelled> scored, int c) {
    return compute(scored.map(t -> new Scored(t.probabilities()[c], t.label() == c, t.weight())));
  }
}
