package io.sparkfit.output;

import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import java.io.IOException;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writer at a time for a small file that is read, checked and replaced in place, such as a
 * promotion pointer: the update runs holding the file's lease ({@link OutputLease}, as every output
 * has), and a second writer waits for the first to finish instead of reading the same old state. A
 * writer that died holding the lease is taken over as any output's lease is: at once on the same
 * host, after {@link #TIMEOUT} elsewhere; and one stuck holding it stops renewing it after
 * {@link #TIMEOUT}, so a waiter takes it over within {@link #PATIENCE}. The update checks that it
 * still holds the lease right before it writes. On object stores, where create is not atomic, two
 * writers starting within a moment of each other can both hold it.
 */
public final class LeasedUpdate {
  /** The lease's timeout: an update holds it for a moment only. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** How long a writer waits for another one's update. */
  static final Duration PATIENCE = Duration.ofSeconds(150);

  private LeasedUpdate() {}

  /** An update of a file under its lease. */
  @FunctionalInterface
  public interface Update {
    /**
     * Reads, checks and replaces the file; calls {@code checkStillHeld} right before the write,
     * which fails when the lease was lost meanwhile.
     */
    void run(Runnable checkStillHeld);
  }

  /**
   * Runs {@code update} holding the lease of {@code location} ({@code key} names it in messages,
   * {@code holder} says who holds it).
   */
  public static void run(Configuration hadoop, String location, String key, String holder, Update update) {
    Path target = new Path(location);
    FileSystem fs;
    try {
      fs = target.getFileSystem(hadoop);
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot reach %s = %s: %s", key, location, Failures.rootMessage(e));
    }
    try (OutputLease lease = OutputLease.acquire(fs, target, key, holder, TIMEOUT, PATIENCE, TIMEOUT)) {
      update.run(lease::check);
    }
  }
}
