package io.sparkfit.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.testing.SharedSparkSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * Exact AUCs from the distributed sort agree with MLlib's exact ones (and, weighted, with
 * scikit-learn's {@code sample_weight}), ties and partition boundaries included.
 */
class ExactAucTest extends SharedSparkSession {

  @Test
  void matchesMllibOnScoresWithManyTiesOverManyPartitions() {
    Random random = new Random(3);
    List<ExactAuc.Scored> scored = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      boolean positive = random.nextDouble() < 0.3;
      // Rounded to two decimals: many examples share a score, across both classes.
      double score = Math.round((random.nextGaussian() + (positive ? 0.8 : 0)) * 100) / 100.0;
      scored.add(new ExactAuc.Scored(score, positive, 1.0));
    }
    for (int partitions : new int[] {1, 3, 7}) {
      JavaRDD<ExactAuc.Scored> rdd = sc.parallelize(scored, partitions);
      ExactAuc.Areas areas = ExactAuc.compute(rdd);
      // MLlib with numBins = 0 keeps every distinct score: exact.
      BinaryClassificationMetrics mllib =
          new BinaryClassificationMetrics(
              rdd.map(s -> new Tuple2<Object, Object>(s.score(), s.positive() ? 1.0 : 0.0)).rdd(), 0);
      assertThat(areas.roc()).as("%d partitions", partitions).isCloseTo(mllib.areaUnderROC(), within(1e-12));
      assertThat(areas.pr()).as("%d partitions", partitions).isCloseTo(mllib.areaUnderPR(), within(1e-12));
    }
  }

  @Test
  void weightedAreasMatchMllibAndScikitLearnOverAnySplit() throws Exception {
    Random random = new Random(8);
    List<ExactAuc.Scored> scored = new ArrayList<>();
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      boolean positive = random.nextDouble() < 0.4;
      double score = Math.round((random.nextGaussian() + (positive ? 0.7 : 0)) * 50) / 50.0;
      // Multiples of 1/8 from 0 to 3: ties of weighted and weightless examples, summed exactly in doubles.
      double weight = random.nextInt(25) / 8.0;
      scored.add(new ExactAuc.Scored(score, positive, weight));
      csv.append(score).append(',').append(positive ? 1 : 0).append(',').append(weight).append('\n');
    }
    String sklearn =
        io.sparkfit.testing.Python.run(
            "import sys, numpy as np\n"
                + "from sklearn.metrics import roc_auc_score\n"
                + "d = np.loadtxt(sys.stdin, delimiter=',', ndmin=2)\n"
                + "print(repr(float(roc_auc_score(d[:, 1], d[:, 0], sample_weight=d[:, 2]))))\n",
            csv.toString());
    ExactAuc.Areas one = null;
    for (int partitions : new int[] {1, 3, 7}) {
      JavaRDD<ExactAuc.Scored> rdd = sc.parallelize(scored, partitions);
      ExactAuc.Areas areas = ExactAuc.compute(rdd);
      BinaryClassificationMetrics mllib =
          new BinaryClassificationMetrics(
              rdd.map(s -> new scala.Tuple3<Object, Object, Object>(s.score(), s.positive() ? 1.0 : 0.0, s.weight())).rdd(), 0);
      assertThat(areas.roc()).as("%d partitions", partitions).isCloseTo(Double.parseDouble(sklearn.strip()), within(1e-9));
      assertThat(areas.roc()).as("%d partitions", partitions).isCloseTo(mllib.areaUnderROC(), within(1e-12));
      assertThat(areas.pr()).as("%d partitions", partitions).isCloseTo(mllib.areaUnderPR(), within(1e-12));
      one = one == null ? areas : one;
    }
    // And the weights matter: the same examples counted once each give another area.
    ExactAuc.Areas counted = ExactAuc.compute(sc.parallelize(scored.stream().map(s -> new ExactAuc.Scored(s.score(), s.positive(), 1.0)).toList(), 3));
    assertThat(counted.roc()).isNotCloseTo(one.roc(), within(1e-4));
  }

  @Test
  void isUndefinedWithoutBothClasses() {
    ExactAuc.Areas areas = ExactAuc.compute(sc.parallelize(List.of(new ExactAuc.Scored(0.3, true, 1.0), new ExactAuc.Scored(0.6, true, 2.0))));
    assertThat(areas.roc()).isNaN();
    assertThat(areas.pr()).isNaN();
  }
}
