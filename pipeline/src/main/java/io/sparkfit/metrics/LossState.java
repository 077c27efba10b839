package io.sparkfit.metrics;

/**
 * A loss as {@code (sum, count)}: the mean is exact however the examples were split, unlike the mean
 * of per-minibatch or per-worker means.
 */
public record LossState(double sum, long count) implements Loss {
  public static final LossState EMPTY = new LossState(0, 0);

  /** The state of a minibatch of {@code count} examples whose mean loss was {@code mean}. */
  public static LossState ofMean(double mean, long count) {
    return new LossState(mean * count, count);
  }

  @Override
  public LossState scaled(double factor) {
    return new LossState(sum * factor, count);
  }

  @Override
  public LossState merge(MetricState other) {
    LossState o = (LossState) other;
    return new LossState(sum + o.sum, count + o.count);
  }

  /** The mean loss; NaN over no examples. */
  @Override
  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }
}
