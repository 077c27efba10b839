package io.sparkfit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code training.workers = auto}: the rule, on counts alone. */
class AutoWorkersTest {
  /** A table MLP, 100 inputs, 128 hidden units, 2 classes: one multiply-add per parameter. */
  private static final long TABLE_MLP_PARAMETERS = 100 * 128 + 128 + 128 * 2 + 2;
  /** bench/digits/cnn.conf on 28 x 28 digits: about 233,000 parameters and 2.1 million multiply-adds an example. */
  private static final long CNN_PARAMETERS = 233_000;
  private static final long CNN_MULTIPLY_ADDS = 2_100_000;

  @Test
  void aTinyTableTrainsOnOneWorkerWhateverTheNetwork() {
    AutoWorkers.Choice choice = new AutoWorkers(300, CNN_PARAMETERS, CNN_MULTIPLY_ADDS, 32, 5).choose(8);
    assertThat(choice.workers()).isEqualTo(1);
    assertThat(choice.reason()).endsWith("10 minibatches an epoch are under the 20 that keep two workers busy for 2 rounds each");
  }

  @Test
  void aLargeTableOfConvolutionsUsesEverySlot() {
    AutoWorkers cnn = new AutoWorkers(60_000, CNN_PARAMETERS, CNN_MULTIPLY_ADDS, 64, 5);
    AutoWorkers.Choice choice = cnn.choose(2);
    assertThat(choice.workers()).isEqualTo(2);
    assertThat(choice.reason())
        .startsWith("each parameter does 9.0 multiply-adds an example and a round of 5 minibatches of 64 holds 6.7e+08")
        .endsWith("938 minibatches an epoch keep all 2 task slots busy for 2+ rounds each");
    assertThat(cnn.choose(200).workers()).as("938 minibatches give 93 workers 2 rounds of 5 each").isEqualTo(938 / 10);
  }

  @Test
  void aDenseNetworkStaysOnOneWorkerHoweverLargeTheTable() {
    AutoWorkers mlp = new AutoWorkers(10_000_000, TABLE_MLP_PARAMETERS, TABLE_MLP_PARAMETERS, 32, 5);
    assertThat(mlp.multiplyAddsPerParameter()).isEqualTo(1.0);
    AutoWorkers.Choice choice = mlp.choose(16);
    assertThat(choice.workers()).isEqualTo(1);
    assertThat(choice.reason()).startsWith("each parameter does 1.0 multiply-adds an example, under the 2 that pay for exchanging it");
  }

  @Test
  void lightRoundsOfConvolutionsStayOnOneWorker() {
    // A small convolution: 9 multiply-adds per parameter, but 32 x 5 examples of 10,000 make 1.6e6 a round.
    AutoWorkers.Choice choice = new AutoWorkers(1_000_000, 1_000, 10_000, 32, 5).choose(4);
    assertThat(choice.workers()).isEqualTo(1);
    assertThat(choice.reason()).endsWith("holds 1.6e+06, under the 2e+08 that pay for a second worker");
  }

  @Test
  void theCountFollowsTheRowsBetweenOneAndEverySlot() {
    int roundBatches = AutoWorkers.MIN_ROUNDS_PER_WORKER * 5;
    // Just under two workers' worth of rounds, exactly two, three (of four slots), then all four.
    assertThat(cnnOf(32L * (2 * roundBatches - 1)).choose(4).workers()).isEqualTo(1);
    assertThat(cnnOf(32L * 2 * roundBatches).choose(4).workers()).isEqualTo(2);
    AutoWorkers.Choice three = cnnOf(32L * 3 * roundBatches).choose(4);
    assertThat(three.workers()).isEqualTo(3);
    assertThat(three.reason()).endsWith("30 minibatches an epoch keep 3 of the 4 task slots busy for 2+ rounds each");
    assertThat(cnnOf(32L * 100 * roundBatches).choose(4).workers()).isEqualTo(4);
    assertThat(cnnOf(32L * 100 * roundBatches).choose(1)).isEqualTo(new AutoWorkers.Choice(1, "there is 1 task slot"));
  }

  private static AutoWorkers cnnOf(long rows) {
    return new AutoWorkers(rows, CNN_PARAMETERS, CNN_MULTIPLY_ADDS, 32, 5);
  }

  @Test
  void refusesImpossibleCounts() {
    assertThatThrownBy(() -> new AutoWorkers(10, 10, 10, 0, 5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch 0");
    assertThatThrownBy(() -> new AutoWorkers(10, 10, 10, 32, 5).choose(0)).hasMessage("Invalid task slots: 0");
  }
}
