package io.sparkfit.jobs;

import io.sparkfit.run.GracefulStop;
import java.util.List;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a {@link GracefulStop} instead of the JVM's immediate shutdown: Airflow sends
 * SIGTERM on a task's timeout or a manual kill, Kubernetes before evicting a pod. The JVM's default
 * would run Spark's shutdown hook, stopping the SparkContext under a run that is still using it
 * (hundreds of lines of "stopped SparkContext" traces). Here the run stops itself at its next safe
 * point, and the process ends regardless once {@link GracefulStop#bound()} has passed; a second
 * signal ends it at once.
 */
final class StopSignals {
  private StopSignals() {}

  /** Handles SIGTERM and SIGINT for the whole process from now on. */
  static GracefulStop install() {
    GracefulStop stop = GracefulStop.create();
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), signal -> received(stop, signal));
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal for itself (-Xrs): its default behaviour stays.
      }
    }
    return stop;
  }

  private static void received(GracefulStop stop, Signal signal) {
    String name = "SIG" + signal.getName();
    int code = 128 + signal.getNumber();
    if (stop.requested()) {
      System.err.println("sparkfit: stopped by a second " + name + " at once; the last complete checkpoint stands");
      Runtime.getRuntime().halt(code);
    }
    long boundMillis = stop.bound().toMillis();
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(boundMillis);
              } catch (InterruptedException e) {
                return;
              }
              System.err.printf(
                  "sparkfit: stopped by %s: the run had not stopped %d s after it; ended, the last complete checkpoint stands%n",
                  name, boundMillis / 1000);
              Runtime.getRuntime().halt(code);
            },
            "sparkfit-stop-bound");
    watchdog.setDaemon(true);
    watchdog.start();
    stop.request(name, signal.getNumber());
  }
}
