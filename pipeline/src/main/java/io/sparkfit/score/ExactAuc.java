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
 * scores are first merged into one point (with their positive and negative counts, so ties count
 * half, as in the Mann-Whitney statistic), the distinct scores are sorted across partitions, each
 * partition's totals come back (one pair per partition), and a second pass adds up each partition's
 * share of the areas from those offsets. AUC-PR is the trapezoid rule over (recall, precision)
 * points, starting at recall 0 with the first point's precision, as in Spark's
 * {@code BinaryClassificationMetrics}.
 */
final class ExactAuc {
  private ExactAuc() {}

  /** The two areas; NaN when there are no positives or no negatives. */
  public record Areas(double roc, double pr) {}

  /** One scored example for one class: its score for the class, and whether it belongs to it. */
  public record Scored(double score, boolean positive) implements Serializable {}

  public static Areas compute(JavaRDD<Scored> scored) {
    JavaPairRDD<Double, long[]> distinct =
        scored
            .mapToPair(s -> new Tuple2<>(s.score(), s.positive() ? new long[] {1, 0} : new long[] {0, 1}))
            .reduceByKey((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]})
            .sortByKey(true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<long[]> totals =
          distinct
              .mapPartitionsWithIndex(
                  (index, points) -> {
                    long p = 0;
                    long n = 0;
                    while (points.hasNext()) {
                      long[] c = points.next()._2();
                      p += c[0];
                      n += c[1];
                    }
                    return List.of(new long[] {index, p, n}).iterator();
                  },
                  true)
              .collect();
      int partitions = totals.size();
      long[][] below = new long[partitions][2];
      long positives = 0;
      long negatives = 0;
      for (long[] t : totals) {
        below[(int) t[0]][0] = positives;
        below[(int) t[0]][1] = negatives;
        positives += t[1];
        negatives += t[2];
      }
      if (positives == 0 || negatives == 0) {
        return new Areas(Double.NaN, Double.NaN);
      }
      long allPositives = positives;
      long allNegatives = negatives;
      double[] sums =
          distinct
              .mapPartitionsWithIndex(
                  (index, points) -> List.of(partitionAreas(points, below[index], allPositives, allNegatives)).iterator(), true)
              .reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
      return new Areas(sums[0] / ((double) allPositives * allNegatives), sums[1]);
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
  private static double[] partitionAreas(Iterator<Tuple2<Double, long[]>> points, long[] below, long positives, long negatives) {
    long positivesBelow = below[0];
    long negativesBelow = below[1];
    double roc = 0;
    double pr = 0;
    while (points.hasNext()) {
      long[] c = points.next()._2();
      long p = c[0];
      long n = c[1];
      roc += p * (negativesBelow + 0.5 * n);
      long truePositives = positives - positivesBelow;
      long falsePositives = negatives - negativesBelow;
      double recall = (double) truePositives / positives;
      double precision = (double) truePositives / (truePositives + falsePositives);
      long higherTruePositives = truePositives - p;
      long higherFalsePositives = falsePositives - n;
      double higherRecall;
      double higherPrecision;
      if (higherTruePositives + higherFalsePositives == 0) {
        higherRecall = 0;
        higherPrecision = precision;
      } else {
        higherRecall = (double) higherTruePositives / positives;
        higherPrecision = (double) higherTruePositives / (higherTruePositives + higherFalsePositives);
      }
      pr += (recall - higherRecall) * (precision + higherPrecision) / 2;
      positivesBelow += p;
      negativesBelow += n;
    }
    return new double[] {roc, pr};
  }

  /** The areas for every class against the rest, from rows of (label index, class probabilities). */
  public static List<Areas> perClass(JavaRDD<Tuple2<Integer, double[]>> scored, int classes) {
    List<Areas> areas = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      int cls = c;
      areas.add(compute(scored.map(t -> new Scored(t._2()[cls], t._1() == cls))));
    }
    return areas;
  }
}
