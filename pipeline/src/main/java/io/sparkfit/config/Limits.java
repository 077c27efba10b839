package io.sparkfit.config;

/**
 * The largest value each numeric setting accepts: beyond these a value is surely a mistake (a typo,
 * {@code 1e9} for {@code 1e3}, milliseconds for seconds), and a run would go on for ever, allocate
 * gigabytes or never time out. Each is refused in one line that names the key, the value and the bound.
 * {@code docs/configuration.md} lists them; a test checks that list against these constants.
 */
final class Limits {
  private Limits() {}

  /** {@code training.epochs}: a run of 100,000 epochs is already weeks on any table worth a network. */
  public static final int MAX_EPOCHS = 100_000;
  /** {@code training.batch-size-per-worker} (also at most the training rows) and {@code scoring.batch-size}. */
  public static final int MAX_BATCH_SIZE = 1_000_000;
  /** {@code training.averaging-frequency}, in minibatches. */
  public static final int MAX_AVERAGING_FREQUENCY = 1_000_000;
  /** {@code training.workers}. */
  public static final int MAX_WORKERS = 10_000;
  /** {@code training.threads-per-task}. */
  public static final int MAX_THREADS_PER_TASK = 1_024;
  /** {@code training.exchange-port}: a TCP port. */
  public static final int MAX_PORT = 65_535;
  /** {@code training.stall-timeout-seconds}: a week. */
  public static final int MAX_TIMEOUT_SECONDS = 604_800;
  /** {@code training.stop-grace-seconds}: an hour. */
  public static final int MAX_STOP_GRACE_SECONDS = 3_600;
  /** {@code output.lease-timeout-seconds}: at least this, so that heartbeats every sixth of it stay cheap. */
  public static final int MIN_LEASE_TIMEOUT_SECONDS = 10;
  /** {@code output.lease-timeout-seconds}: a day. */
  public static final int MAX_LEASE_TIMEOUT_SECONDS = 86_400;
  /** {@code training.early-stopping.patience}, {@code metrics.every-epochs}, {@code model.updater.schedule.every-epochs}. */
  public static final int MAX_EPOCH_COUNT = MAX_EPOCHS;
  /** {@code metrics.auc-bins}: two histograms of this many counts per class travel with every task's state. */
  public static final int MAX_AUC_BINS = 100_000;
  /** {@code metrics.top-k}. */
  public static final int MAX_TOP_K = 1_000;
  /** {@code max-categories}, {@code max-distinct}: the distinct values profiling counts exactly. */
  public static final int MAX_CATEGORIES = FeatureColumn.COUNT_LIMIT;
  /** {@code min-frequency}, in rows. */
  public static final int MAX_MIN_FREQUENCY = 100_000_000;
  /** {@code units} and {@code filters} of a layer. */
  public static final int MAX_UNITS = 100_000;
  /** Each of a layer's {@code kernel}, {@code stride} and {@code padding}. */
  public static final int MAX_KERNEL = 1_000;
  /** {@code model.embeddings} dimensions. */
  public static final int MAX_EMBEDDING_DIMENSIONS = 10_000;
  /** Each of an array column's {@code shape} dimensions. */
  public static final int MAX_SHAPE_DIMENSION = 100_000;
  /** {@code model.updater.learning-rate}. */
  public static final double MAX_LEARNING_RATE = 10.0;
  /** {@code model.l2}, {@code model.weight-decay}. */
  public static final double MAX_REGULARIZATION = 1.0;
  /** {@code model.gradient-clipping.threshold}. */
  public static final double MAX_CLIPPING_THRESHOLD = 1e6;
  /** {@code model.updater.schedule.power}. */
  public static final double MAX_SCHEDULE_POWER = 100.0;
}
