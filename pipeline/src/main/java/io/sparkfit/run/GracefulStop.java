package io.sparkfit.run;

import io.sparkfit.Failures;
import io.sparkfit.StoppedBySignal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request to stop, from a signal, and what the run does about it. The process's entry point turns
 * SIGTERM and SIGINT into {@link #request}; each phase of a run registers, for as long as it runs, what a
 * stop means to it ({@link #onStop}): while data is read, its Spark jobs are cancelled; during an
 * epoch, the epoch is finished or abandoned ({@link EpochLoop}); while the output is written, nothing,
 * so it completes. The phase itself then ends at its next safe point with {@link #stopped}.
 *
 * <p>{@link #none()} is never requested: runs that no signal stops (Spark ML fits, tests). Thread-safe:
 * {@link #request} comes from the signal's thread.
 */
public final class GracefulStop {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
  private static final GracefulStop NONE = new GracefulStop();
  /** How long a stop may take with the default {@code training.stop-grace-seconds}, before the process is ended regardless. */
  public static final Duration DEFAULT_BOUND = Duration.ofSeconds(25);
  /** What a bound allows beyond an epoch's grace: stopping Spark, writing the last checkpoint. */
  public static final Duration BEYOND_GRACE = Duration.ofSeconds(15);

  private final Deque<Runnable> actions = new ArrayDeque<>();
  private volatile String signal;
  private volatile int exitCode;
  private volatile Duration bound = DEFAULT_BOUND;

  private GracefulStop() {}

  /** A stop that can be requested (by a signal handler). */
  public static GracefulStop create() {
    return new GracefulStop();
  }

  /** A stop that is never requested. */
  public static GracefulStop none() {
    return NONE;
  }

  /**
   * Asks the run to stop: the first request runs the innermost registered action; later ones are
   * ignored (the entry point ends the process on a second signal).
   *
   * @param signalName as printed, e.g. {@code SIGTERM}
   * @param signalNumber its number, for the exit code
   */
  public void request(String signalName, int signalNumber) {
    if (this == NONE) {
      return;
    }
    Runnable action;
    synchronized (this) {
      if (signal != null) {
        return;
      }
      exitCode = 128 + signalNumber;
      signal = signalName;
      action = actions.peek();
    }
    LOG.info("{}: stopping at the next safe point", signalName);
    if (action != null) {
      action.run();
    }
  }

  public boolean requested() {
    return signal != null;
  }

  /** The signal that asked for the stop, if one did. */
  public Optional<String> signal() {
    return Optional.ofNullable(signal);
  }

  /** How long the process may take to stop once asked, before it is ended regardless. */
  public Duration bound() {
    return bound;
  }

  /** Sets the bound from {@code training.stop-grace-seconds}: the grace of an epoch plus what stopping needs. */
  public void allowEpochGrace(int graceSeconds) {
    bound = Duration.ofSeconds(graceSeconds).plus(BEYOND_GRACE);
  }

  /** A registration of what a stop means to the phase that is running; closing it ends the phase's say. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Registers {@code action} as what a stop means from now until the registration is closed; an
   * inner registration overrides an outer one meanwhile. If a stop was requested already, {@code
   * action} runs at once.
   */
  public Registration onStop(Runnable action) {
    boolean already;
    synchronized (this) {
      actions.push(action);
      already = signal != null;
    }
    if (already) {
      action.run();
    }
    return () -> {
      synchronized (this) {
        actions.remove(action);
      }
    };
  }

  /**
   * Registers cancelling every Spark job of {@code sc}, running or started later, as what a stop means
   * (reading data, scoring): the phase's action then fails, and it ends with {@link #stopped}. An inner
   * phase that decides to abandon its work calls {@link JobCancelling#cancelAll()} itself.
   */
  public JobCancelling cancelSparkJobsOnStop(SparkContext sc) {
    return new JobCancelling(sc);
  }

  /** Cancels a SparkContext's jobs once a stop says so, and every job started after that. */
  public final class JobCancelling implements Registration {
    private final SparkContext sc;
    private final AtomicBoolean cancelling = new AtomicBoolean();
    private final SparkListener listener;
    private final Registration registration;

    private JobCancelling(SparkContext sc) {
      this.sc = sc;
      this.listener =
          new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
              if (cancelling.get()) {
                sc.cancelJob(jobStart.jobId());
              }
            }
          };
      sc.addSparkListener(listener);
      this.registration = onStop(this::cancelAll);
    }

    /** Cancels every running job, and from now on every job as it starts. */
    public void cancelAll() {
      cancelling.set(true);
      sc.cancelAllJobs();
    }

    @Override
    public void close() {
      registration.close();
      sc.removeSparkListener(listener);
    }
  }

  /** Throws {@link #stopped} if a stop was requested: a safe point between two steps. */
  public void throwIfRequested(String outcome) {
    if (requested()) {
      throw stopped(outcome);
    }
  }

  /** The failure that ends a stopped run, with its line: {@code stopped by SIGTERM <outcome>}. */
  public StoppedBySignal stopped(String outcome) {
    return new StoppedBySignal("stopped by " + signal + " " + outcome, exitCode);
  }

  /**
   * {@code failure} as the stop it is when a stop was requested (a cancelled job, an abandoned epoch),
   * else {@code failure} itself; a stop already reported passes through.
   */
  public RuntimeException explain(Exception failure, String outcome) {
    if (failure instanceof StoppedBySignal || !requested()) {
      return Failures.unchecked(failure);
    }
    LOG.debug("Stopped by {}: {}", signal, failure.toString());
    return stopped(outcome);
  }
}
