package io.sparkfit.exchange;

/**
 * The averaging arithmetic, free of sockets and threads: the example-weighted mean of the workers'
 * states, in float as the networks hold them. A worker that fitted nothing in a round carries no
 * weight. The star computes the mean at once on the driver; the ring computes it a chunk at a time,
 * as weighted sums passed along the ring ({@link #addWeighted}) divided by the total at the end
 * ({@link #divide}). Each way's order of additions is fixed, so a re-run of the same round gives the
 * same bits.
 */
final class WeightedAverage {
  private WeightedAverage() {}

  /**
   * The example-weighted mean of {@code contributions}, starting from {@code before}. With one worker
   * the weight is exactly 1, so the result is that worker's values bit for bit. The updater state is
   * averaged when every worker that fitted sent it (or there is none); otherwise {@code before}'s
   * stands. The iteration count moves on by the most minibatches any worker fitted.
   */
  static ExchangeState of(ExchangeState before, Iterable<Contribution> contributions) {
    long total = 0;
    int steps = 0;
    boolean updaterSent = true;
    for (Contribution c : contributions) {
      total += c.examples();
      steps = Math.max(steps, c.minibatches());
      updaterSent &= !c.fitted() || c.updaterState().length > 0 || before.updaterState().length == 0;
    }
    if (total == 0) {
      return before;
    }
    float[] parameters = new float[before.parameters().length];
    float[] updater = new float[before.updaterState().length];
    for (Contribution c : contributions) {
      if (!c.fitted()) {
        continue;
      }
      float weight = (float) ((double) c.examples() / total);
      add(parameters, c.parameters(), weight, "parameters");
      if (updaterSent) {
        add(updater, c.updaterState(), weight, "updater state");
      }
    }
    return new ExchangeState(parameters, updaterSent ? updater : before.updaterState(), before.iteration() + steps, before.epoch());
  }

  /**
   * The mean of the workers' own updater states weighted by what each fitted in the last round, as the
   * driver keeps it under {@code updater-state = local} (a ring's workers send their states at the end
   * of the epoch); {@code otherwise} when nobody fitted.
   */
  static float[] meanOf(java.util.Map<Integer, float[]> states, java.util.Map<Integer, Long> examples, float[] otherwise) {
    long total = examples.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0 || states.isEmpty()) {
      return otherwise;
    }
    float[] mean = new float[otherwise.length];
    for (java.util.Map.Entry<Integer, float[]> e : states.entrySet()) {
      long n = examples.getOrDefault(e.getKey(), 0L);
      if (n > 0) {
        add(mean, e.getValue(), (float) ((double) n / total), "updater state");
      }
    }
    return mean;
  }

  private static void add(float[] sum, float[] values, float weight, String what) {
    if (values.length != sum.length) {
      throw new IllegalStateException(String.format("A worker sent %d values of %s, expected %d", values.length, what, sum.length));
    }
    for (int i = 0; i < values.length; i++) {
      sum[i] += weight * values[i];
    }
  }

  /** Where chunk {@code c} of {@code chunks} starts in an array of {@code length} values; chunk sizes differ by one at most. */
  static int chunkStart(int length, int chunks, int c) {
    return (int) ((long) length * c / chunks);
  }

  /** {@code sum[offset + i] += examples * values[offset + i]}: a worker's weighted share added to a ring's running sum. */
  static void addWeighted(float[] sum, float[] values, int offset, int length, long examples) {
    float weight = examples;
    for (int i = offset; i < offset + length; i++) {
      sum[i] += weight * values[i];
    }
  }

  /** {@code values[offset + i] = examples * own[offset + i]}: a worker's weighted share, where a ring's sum starts. */
  static void weighted(float[] values, float[] own, int offset, int length, long examples) {
    float weight = examples;
    for (int i = offset; i < offset + length; i++) {
      values[i] = weight * own[i];
    }
  }

  /** The sums of a chunk over the examples that made them: the chunk's mean. */
  static void divide(float[] sum, int offset, int length, long total) {
    float divisor = total;
    for (int i = offset; i < offset + length; i++) {
      sum[i] /= divisor;
    }
  }
}
