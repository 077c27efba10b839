package io.sparkfit.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.InvalidInputException;
import io.sparkfit.StoppedBySignal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** What a stop does depends on the phase that runs; the failure it causes becomes one line and 128 + the signal. */
class GracefulStopTest {

  @Test
  void theInnermostPhaseDecidesAndOnlyOnce() {
    GracefulStop stop = GracefulStop.create();
    List<String> ran = new ArrayList<>();
    try (GracefulStop.Registration reading = stop.onStop(() -> ran.add("cancel the jobs"))) {
      try (GracefulStop.Registration epoch = stop.onStop(() -> ran.add("finish the epoch"))) {
        stop.request("SIGTERM", 15);
        stop.request("SIGTERM", 15);
      }
    }
    assertThat(ran).containsExactly("finish the epoch");
    assertThat(stop.requested()).isTrue();
    assertThat(stop.signal()).contains("SIGTERM");
  }

  @Test
  void aPhaseThatStartsAfterTheRequestActsAtOnce() {
    GracefulStop stop = GracefulStop.create();
    stop.request("SIGINT", 2);
    List<String> ran = new ArrayList<>();
    stop.onStop(() -> ran.add("cancel")).close();
    assertThat(ran).containsExactly("cancel");
    StoppedBySignal stopped = stop.stopped(EpochLoop.outcome(4));
    assertThat(stopped.getMessage()).isEqualTo("stopped by SIGINT after epoch 4; resume with --resume");
    assertThat(stopped.exitCode()).isEqualTo(130);
  }

  @Test
  void aFailureWhileStoppingIsTheStopAndOtherwiseItself() {
    GracefulStop stop = GracefulStop.create();
    InvalidInputException bad = new InvalidInputException("bad");
    assertThat(stop.explain(bad, "after epoch 1")).isSameAs(bad);
    stop.request("SIGTERM", 15);
    RuntimeException cancelled = stop.explain(new SparkException("Job 3 cancelled"), EpochLoop.outcome(2));
    assertThat(cancelled).isInstanceOf(StoppedBySignal.class).hasMessage("stopped by SIGTERM after epoch 2; resume with --resume");
    assertThat(((StoppedBySignal) cancelled).exitCode()).isEqualTo(143);
    assertThat(stop.explain(cancelled, "elsewhere")).as("a stop already reported").isSameAs(cancelled);
    assertThat(EpochLoop.outcome(0)).isEqualTo("before the first epoch ended; no checkpoint to resume from: run it again");
  }

  @Test
  void noneIsNeverRequested() {
    List<String> ran = new ArrayList<>();
    GracefulStop.none().onStop(() -> ran.add("x")).close();
    GracefulStop.none().request("SIGTERM", 15);
    assertThat(GracefulStop.none().requested()).isFalse();
    assertThat(ran).isEmpty();
  }

  @Test
  void anEpochIsFinishedWhenItShouldEndWithinTheGrace() {
    assertThat(EpochLoop.decideToFinish(Double.NaN, 0.1, 10)).as("no epoch has ended yet").isFalse();
    assertThat(EpochLoop.decideToFinish(12.0, 3.0, 10)).as("9 s left").isTrue();
    assertThat(EpochLoop.decideToFinish(40.0, 3.0, 10)).as("37 s left").isFalse();
    assertThat(EpochLoop.decideToFinish(0.5, 0.2, 0)).as("no grace at all").isFalse();
    assertThat(EpochLoop.decideToFinish(0.5, 0.7, 0)).as("overdue: should end now").isTrue();
    GracefulStop stop = GracefulStop.create();
    stop.allowEpochGrace(10);
    assertThat(stop.bound()).isEqualTo(GracefulStop.DEFAULT_BOUND);
  }
}
