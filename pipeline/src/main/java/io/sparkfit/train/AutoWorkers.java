package io.sparkfit.train;

import java.util.Locale;

/**
 * {@code training.workers = auto}: how many workers the data keeps busy. A second worker halves each
 * worker's share of an epoch but adds, every averaging round, an exchange of the whole network and a
 * wait for the slowest worker, and with them the averaging itself, which makes an epoch teach less
 * than one worker's epoch (docs/engine.md, "How many workers"). It pays only where the arithmetic
 * hides that: where each parameter does several multiply-adds per example (a convolution applies
 * its kernels at every position; a dense layer uses each weight once, so its exchange costs about as
 * much as its arithmetic whatever its width), where a round holds enough of it, and where every
 * worker still gets a few rounds an epoch. The thresholds were measured on this project's 2-core
 * machine, MLPs and a CNN on real digits (bench/workers, bench/results/workers-*.csv); the rule
 * reads only counts, never a clock, so the same data and network get the same answer on every run.
 *
 * @param rows training rows in an epoch
 * @param parameters the network's parameters: what every round exchanges
 * @param multiplyAddsPerExample the network's forward work for one example ({@code Network.multiplyAddsPerExample})
 * @param batchSize {@code training.batch-size-per-worker}
 * @param averagingFrequency {@code training.averaging-frequency}: minibatches per worker per round
 */
public record AutoWorkers(long rows, long parameters, long multiplyAddsPerExample, int batchSize, int averagingFrequency) {

  /**
   * Multiply-adds per parameter per example a network must do for a second worker to pay: MLPs do
   * 1, and with two workers one of three took less time to one worker's accuracy; the CNN does 9,
   * and two workers took 0.67-0.78 of the time.
   */
  public static final double MIN_MULTIPLY_ADDS_PER_PARAMETER = 2;

  /**
   * The forward multiply-adds one worker's averaging round must hold, so that the round's fixed
   * costs (a barrier, the messages) stay small beside it: the CNN's rounds held 6.8e8.
   */
  public static final double MIN_MULTIPLY_ADDS_PER_ROUND = 2e8;

  /**
   * Averaging rounds each worker needs in an epoch: the CNN on 2,000 rows, 3 rounds a worker, still
   * gained from two workers; below 2, each epoch's start and end would be most of it.
   */
  public static final int MIN_ROUNDS_PER_WORKER = 2;

  public AutoWorkers {
    if (rows < 0 || parameters < 1 || multiplyAddsPerExample < 0 || batchSize < 1 || averagingFrequency < 1) {
      throw new IllegalArgumentException(
          "Invalid workload: rows " + rows + ", parameters " + parameters + ", multiply-adds " + multiplyAddsPerExample
              + ", batch " + batchSize + ", averaging frequency " + averagingFrequency);
    }
  }

  /** The chosen count and the reason, for the log line. */
  public record Choice(int workers, String reason) {}

  /** Forward multiply-adds per parameter for one example: about 1 for a dense network, more for convolutions. */
  public double multiplyAddsPerParameter() {
    return (double) multiplyAddsPerExample / parameters;
  }

  /** Forward multiply-adds in one worker's averaging round. */
  public double multiplyAddsPerRound() {
    return (double) multiplyAddsPerExample * batchSize * averagingFrequency;
  }

  /** Minibatches in an epoch. */
  public long minibatches() {
    return (rows + batchSize - 1) / batchSize;
  }

  /** How many of {@code slots} task slots to use. */
  public Choice choose(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("Invalid task slots: " + slots);
    }
    if (slots == 1) {
      return new Choice(1, "there is 1 task slot");
    }
    double reuse = multiplyAddsPerParameter();
    if (reuse < MIN_MULTIPLY_ADDS_PER_PARAMETER) {
      return new Choice(
          1,
          String.format(
              Locale.ROOT,
              "each parameter does %.1f multiply-adds an example, under the %.0f that pay for exchanging it "
                  + "(a dense network's exchange costs about what its arithmetic does)",
              reuse, MIN_MULTIPLY_ADDS_PER_PARAMETER));
    }
    double perRound = multiplyAddsPerRound();
    String work = String.format(
        Locale.ROOT,
        "each parameter does %.1f multiply-adds an example and a round of %d minibatches of %d holds %.2g",
        reuse, averagingFrequency, batchSize, perRound);
    if (perRound < MIN_MULTIPLY_ADDS_PER_ROUND) {
      return new Choice(
          1, String.format(Locale.ROOT, "%s, under the %.0e that pay for a second worker", work, MIN_MULTIPLY_ADDS_PER_ROUND));
    }
    long roundBatches = (long) MIN_ROUNDS_PER_WORKER * averagingFrequency;
    int workers = (int) Math.max(1, Math.min(slots, minibatches() / roundBatches));
    String reason;
    if (workers == 1) {
      reason = String.format(
          Locale.ROOT,
          "%d minibatches an epoch are under the %d that keep two workers busy for %d rounds each",
          minibatches(), 2 * roundBatches, MIN_ROUNDS_PER_WORKER);
    } else if (workers == slots) {
      reason = String.format(
          Locale.ROOT, "%d minibatches an epoch keep all %d task slots busy for %d+ rounds each", minibatches(), slots, MIN_ROUNDS_PER_WORKER);
    } else {
      reason = String.format(
          Locale.ROOT,
          "%d minibatches an epoch keep %d of the %d task slots busy for %d+ rounds each",
          minibatches(), workers, slots, MIN_ROUNDS_PER_WORKER);
    }
    return new Choice(workers, work + ", and " + reason);
  }
}
