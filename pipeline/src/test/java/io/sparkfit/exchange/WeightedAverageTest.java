package io.sparkfit.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The averaging arithmetic alone: weights by examples, zero-example workers, updater state sent by some only. */
class WeightedAverageTest {
  private static final ExchangeState BEFORE = new ExchangeState(new float[] {9, 9}, new float[] {7, 7}, 10, 2);

  @Test
  void aLoneWorkersValuesComeBackBitForBit() {
    float[] p = {0.1f, -3.3333333f};
    float[] u = {1e-7f, 5f};
    ExchangeState after = WeightedAverage.of(BEFORE, List.of(new Contribution(4, 37, p, u)));
    assertThat(after.parameters()).containsExactly(p);
    assertThat(after.updaterState()).containsExactly(u);
    assertThat(after.iteration()).isEqualTo(14);
    assertThat(after.epoch()).isEqualTo(2);
  }

  @Test
  void weightsByExamplesAndSkipsWorkersThatFittedNothing() {
    ExchangeState after =
        WeightedAverage.of(
            BEFORE,
            List.of(
                new Contribution(3, 30, new float[] {1, 2}, new float[] {1, 1}),
                new Contribution(1, 10, new float[] {5, 6}, new float[] {3, 3}),
                new Contribution(0, 0, new float[0], new float[0])));
    assertThat(after.parameters()[0]).isCloseTo(2f, within(1e-6f));
    assertThat(after.parameters()[1]).isCloseTo(3f, within(1e-6f));
    assertThat(after.updaterState()[0]).isCloseTo(1.5f, within(1e-6f));
    assertThat(after.iteration()).as("moves on by the most minibatches any worker fitted").isEqualTo(13);
  }

  @Test
  void nobodyFittedLeavesTheStateAsItWas() {
    assertThat(WeightedAverage.of(BEFORE, List.of(new Contribution(0, 0, new float[0], new float[0])))).isSameAs(BEFORE);
  }

  @Test
  void anUpdaterStateSentBySomeWorkersOnlyIsNotAveraged() {
    // Under local, mid-epoch rounds carry parameters only: a fitted worker without its state leaves the state as it was.
    ExchangeState after =
        WeightedAverage.of(
            BEFORE,
            List.of(new Contribution(1, 10, new float[] {1, 1}, new float[] {1, 1}), new Contribution(1, 10, new float[] {3, 3}, new float[0])));
    assertThat(after.parameters()).containsExactly(2f, 2f);
    assertThat(after.updaterState()).isSameAs(BEFORE.updaterState());
  }

  @Test
  void aContributionOfTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> WeightedAverage.of(BEFORE, List.of(new Contribution(1, 5, new float[] {1, 2, 3}, new float[0]))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("A worker sent 3 values of parameters, expected 2");
  }

  @Test
  void theMeanOfLocalUpdaterStatesWeighsByTheLastRoundsExamples() {
    float[] mean = WeightedAverage.meanOf(Map.of(0, new float[] {2, 0}, 1, new float[] {4, 8}), Map.of(0, 3L, 1, 1L), new float[] {9, 9});
    assertThat(mean[0]).isCloseTo(2.5f, within(1e-6f));
    assertThat(mean[1]).isCloseTo(2f, within(1e-6f));
    float[] otherwise = {9, 9};
    assertThat(WeightedAverage.meanOf(Map.of(0, new float[] {1, 1}), Map.of(0, 0L), otherwise)).isSameAs(otherwise);
  }

  @Test
  void ringChunksCoverTheStateAndTheirSumsDivideToTheMean() {
    int length = 10;
    int chunks = 3;
    int covered = 0;
    for (int c = 0; c < chunks; c++) {
      int size = WeightedAverage.chunkStart(length, chunks, c + 1) - WeightedAverage.chunkStart(length, chunks, c);
      assertThat(size).isBetween(3, 4);
      covered += size;
    }
    assertThat(covered).isEqualTo(length);
    assertThat(WeightedAverage.chunkStart(length, chunks, 0)).isZero();
    float[] sum = new float[2];
    WeightedAverage.weighted(sum, new float[] {1, 2}, 0, 2, 30);
    WeightedAverage.addWeighted(sum, new float[] {5, 6}, 0, 2, 10);
    WeightedAverage.addWeighted(sum, new float[] {100, 100}, 0, 2, 0);
    WeightedAverage.divide(sum, 0, 2, 40);
    assertThat(sum).containsExactly(2f, 3f);
  }
}
