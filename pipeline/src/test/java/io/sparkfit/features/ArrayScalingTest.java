package io.sparkfit.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.config.ArrayScaling;
import io.sparkfit.config.Normalization;
import org.junit.jupiter.api.Test;

/** How {@code data.normalize} scales an array column: pooled by default, element by element on request. */
class ArrayScalingTest {

  /** A "corner pixel" (0 in 99 rows of 100, 1 in one) beside a pixel that is lit half the time. */
  private static ColumnStatistics.Array cornerAndCentre() {
    ColumnStatistics.Array stats = new ColumnStatistics.Array();
    for (int row = 0; row < 100; row++) {
      stats.add(new double[] {row == 0 ? 1 : 0, row % 2}, 2, () -> "row");
    }
    return stats;
  }

  @Test
  void perColumnGivesEveryElementThePooledShiftAndScale() {
    double[][] s = ArrayFeature.columnScaling(cornerAndCentre(), Normalization.STANDARD);
    // 51 ones among 200 values: mean 0.255, population deviation sqrt(0.255 - 0.255^2).
    double mean = 51 / 200.0;
    assertThat(s[0]).containsExactly(mean, mean);
    assertThat(s[1]).containsExactly(Math.sqrt(mean - mean * mean), Math.sqrt(mean - mean * mean));
    // The corner's one lit row stays an ordinary input.
    assertThat((1 - s[0][0]) / s[1][0]).isLessThan(2);
  }

  @Test
  void perElementScalesTheRarelyLitElementIntoAHugeInput() {
    double[][] s = ArrayFeature.elementScaling(cornerAndCentre(), Normalization.STANDARD);
    assertThat(s[0]).containsExactly(0.01, 0.5);
    assertThat((1 - s[0][0]) / s[1][0]).as("the corner's lit row, in standard deviations").isGreaterThan(9.9);
  }

  @Test
  void autoScalesAnImageByItsRangeAVectorByElementAndAnyOtherArrayAsConfigured() {
    ColumnStatistics.Array stats = cornerAndCentre();
    double[][] image = ArrayFeature.scaling(stats, Normalization.STANDARD, ArrayScaling.AUTO, false, true);
    assertThat(image[0]).as("a declared image: 0 to 1 stays 0 to 1").containsExactly(0.0, 0.0);
    assertThat(image[1]).containsExactly(1.0, 1.0);
    assertThat(ArrayFeature.scaling(stats, Normalization.NONE, ArrayScaling.AUTO, false, true)[1]).containsExactly(1.0, 1.0);
    assertThat(ArrayFeature.scaling(stats, Normalization.STANDARD, ArrayScaling.AUTO, true, false))
        .as("a Spark ML vector")
        .isDeepEqualTo(ArrayFeature.elementScaling(stats, Normalization.STANDARD));
    assertThat(ArrayFeature.scaling(stats, Normalization.STANDARD, ArrayScaling.AUTO, false, false))
        .isDeepEqualTo(ArrayFeature.columnScaling(stats, Normalization.STANDARD));
    assertThat(ArrayFeature.scaling(stats, Normalization.STANDARD, ArrayScaling.PER_COLUMN, false, true))
        .as("asked for: the image standardised as one")
        .isDeepEqualTo(ArrayFeature.columnScaling(stats, Normalization.STANDARD));
    assertThat(ArrayFeature.scaling(stats, Normalization.STANDARD, ArrayScaling.PER_ELEMENT, false, true))
        .isDeepEqualTo(ArrayFeature.elementScaling(stats, Normalization.STANDARD));
  }

  @Test
  void minMaxPoolsTheRangeToo() {
    double[][] s = ArrayFeature.columnScaling(cornerAndCentre(), Normalization.MIN_MAX);
    assertThat(s[0]).containsExactly(0.0, 0.0);
    assertThat(s[1]).containsExactly(1.0, 1.0);
  }
}
