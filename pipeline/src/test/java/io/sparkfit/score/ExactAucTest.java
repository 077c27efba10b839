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

/** Exact AUCs from the distributed sort agree with MLlib's exact ones, ties and partition boundaries included. */
class ExactAucTest extends SharedSparkSession {

  @Test
  void matchesMllibOnScoresWithManyTiesOverManyPartitions() {
    Random random = new Random(3);
    List<ExactAuc.Scored> scored = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      boolean positive = random.nextDouble() < 0.3;
      // Rounded to two decimals: many examples share a score, across both classes.
      double score = Math.round((random.nextGaussian() + (positive ? 0.8 : 0)) * 100) / 100.0;
      scored.add(new ExactAuc.Scored(score, positive));
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
  void isUndefinedWithoutBothClasses() {
    ExactAuc.Areas areas = ExactAuc.compute(sc.parallelize(List.of(new ExactAuc.Scored(0.3, true), new ExactAuc.Scored(0.6, true))));
    assertThat(areas.roc()).isNaN();
    assertThat(areas.pr()).isNaN();
  }
}
