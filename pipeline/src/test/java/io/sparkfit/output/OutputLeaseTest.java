package io.sparkfit.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per output: the lease is exclusive, renewed, given back, and taken over only from a dead holder. */
class OutputLeaseTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  @TempDir Path tmp;

  private FileSystem fs() throws Exception {
    return StagedWrite.fileSystem(new org.apache.hadoop.fs.Path(tmp.toUri()), new Configuration());
  }

  private OutputLease acquire(Path output, String application) throws Exception {
    return OutputLease.acquire(fs(), new org.apache.hadoop.fs.Path(output.toUri()), "output.dir", application, TIMEOUT);
  }

  private static Path leaseOf(Path output) {
    return output.resolveSibling("." + output.getFileName() + ".sparkfit-lease");
  }

  /** A lease another run wrote, renewed {@code ago} ago. */
  private static void plant(Path output, String host, long pid, Duration ago) throws Exception {
    Files.createDirectories(output.getParent());
    OutputLease.Holder holder = new OutputLease.Holder("planted-owner", "app-planted", host, pid, "someone", "2026-12-01T00:00:00Z", 60);
    Files.write(leaseOf(output), JSON.writeValueAsBytes(holder));
    Files.setLastModifiedTime(leaseOf(output), FileTime.from(Instant.now().minus(ago)));
  }

  @Test
  void aSecondRunIsRefusedNamingTheHolderUntilTheFirstLetsGo() throws Exception {
    Path output = tmp.resolve("models/today");
    OutputLease first = acquire(output, "app-first");
    assertThat(leaseOf(output)).exists();
    String held = Files.readString(leaseOf(output));
    assertThat(held).contains("\"application\":\"app-first\"").contains("\"pid\":" + ProcessHandle.current().pid());
    assertThatThrownBy(() -> acquire(output, "app-second"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("output.dir " + output + " is in use by another run: application app-first (pid " + ProcessHandle.current().pid())
        .hasMessageContaining("taken over only once not renewed for 10 s");
    assertThat(Files.readString(leaseOf(output))).as("the refused run left the lease alone").isEqualTo(held);
    first.close();
    assertThat(leaseOf(output)).doesNotExist();
    assertThat(tmp.resolve("models")).as("the parent the lease created, empty again, is gone").doesNotExist();
    try (OutputLease second = acquire(output, "app-second")) {
      assertThat(Files.readString(leaseOf(output))).contains("app-second");
      assertThatCode(second::check).doesNotThrowAnyException();
    }
  }

  @Test
  void aLeaseNotRenewedForItsTimeoutIsTakenOver() throws Exception {
    Path output = tmp.resolve("model");
    plant(output, "elsewhere", 4242, Duration.ofMinutes(10));
    try (OutputLease taken = acquire(output, "app-taker")) {
      assertThat(Files.readString(leaseOf(output))).contains("app-taker").doesNotContain("planted-owner");
      assertThatCode(taken::check).doesNotThrowAnyException();
    }
    assertThat(tmp).isDirectoryNotContaining(p -> p.getFileName().toString().contains("sparkfit-lease"));
  }

  @Test
  void aFreshLeaseOfAnotherHostIsRespected() throws Exception {
    Path output = tmp.resolve("model");
    plant(output, "elsewhere", 4242, Duration.ofSeconds(1));
    assertThatThrownBy(() -> acquire(output, "app-taker"))
        .hasMessageContaining("in use by another run: application app-planted (pid 4242 on host elsewhere, user someone)")
        .hasMessageContaining("taken over only once not renewed for 60 s");
    assertThat(Files.readString(leaseOf(output))).contains("planted-owner");
  }

  @Test
  void aLeaseWhoseProcessOnThisHostIsGoneIsTakenOverAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path output = tmp.resolve("model");
    String host = java.net.InetAddress.getLocalHost().getHostName();
    plant(output, host, gone.pid(), Duration.ZERO);
    assertThat(OutputLease.staleness(
            Optional.of(new OutputLease.Holder("o", "a", host, gone.pid(), "u", "s", 60)), 0, 60, host))
        .isEqualTo("its process " + gone.pid() + " on this host is gone");
    try (OutputLease taken = acquire(output, "app-after-a-crash")) {
      assertThat(Files.readString(leaseOf(output))).contains("app-after-a-crash");
    }
    // This process is alive, so its own fresh lease is not stale.
    assertThat(OutputLease.staleness(
            Optional.of(new OutputLease.Holder("o", "a", host, ProcessHandle.current().pid(), "u", "s", 60)), 1, 60, host))
        .isNull();
  }

  @Test
  void ofRunsTakingOverTheSameStaleLeaseExactlyOneGetsIt() throws Exception {
    Path output = tmp.resolve("model");
    plant(output, "elsewhere", 4242, Duration.ofMinutes(10));
    int runs = 6;
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<OutputLease>> attempts = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String app = "app-" + i;
      attempts.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  return acquire(output, app);
                } catch (InvalidInputException refused) {
                  return null;
                }
              }));
    }
    start.countDown();
    List<OutputLease> won = new ArrayList<>();
    for (Future<OutputLease> a : attempts) {
      if (a.get() != null) {
        won.add(a.get());
      }
    }
    pool.shutdown();
    assertThat(won).hasSize(1);
    won.get(0).check();
    won.get(0).close();
  }

  @Test
  void aHolderWhoseLeaseWasTakenNoLongerWrites() throws Exception {
    Path output = tmp.resolve("model");
    try (OutputLease lease = acquire(output, "app-slow")) {
      // Another run took over (as it may once this one stopped renewing): its lease replaces ours.
      OutputLease.Holder other = new OutputLease.Holder("other-owner", "app-other", "elsewhere", 1, "u", "s", 10);
      Files.write(leaseOf(output), JSON.writeValueAsBytes(other));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Throwable lost = null;
      while (lost == null && System.nanoTime() < deadline) {
        try {
          lease.check();
          Thread.sleep(200);
        } catch (InvalidInputException e) {
          lost = e;
        }
      }
      assertThat(lost)
          .as("the next renewal noticed")
          .isNotNull()
          .hasMessageContaining("this run lost its lease")
          .hasMessageContaining("taken over by application app-other");
    }
    assertThat(Files.readString(leaseOf(output))).as("closing leaves the other run's lease").contains("other-owner");
  }
  @Test
  void aPatientWriterWaitsForTheHolderAndOnlyAsLongAsItsPatience() throws Exception {
    Path pointer = tmp.resolve("models/current");
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(pointer.toUri());
    OutputLease first = acquire(pointer, "app-first");
    // Held throughout: a patience of a moment runs out, and the refusal names the holder.
    assertThatThrownBy(() -> OutputLease.acquire(fs(), target, "--current", "app-second", TIMEOUT, Duration.ofMillis(300), null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("app-first");
    // Let go while the second waits: it gets the lease instead of failing.
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch waiting = new CountDownLatch(1);
      Future<OutputLease> second =
          pool.submit(
              () -> {
                waiting.countDown();
                return OutputLease.acquire(fs(), target, "--current", "app-second", TIMEOUT, Duration.ofMinutes(2), null);
              });
      waiting.await();
      Thread.sleep(200);
      assertThat(second).as("still waiting while the first holds it").isNotDone();
      first.close();
      try (OutputLease taken = second.get()) {
        assertThat(Files.readString(leaseOf(pointer))).contains("\"application\":\"app-second\"");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLeaseHeldPastItsMaximumIsNoLongerRenewedAndItsHolderStops() throws Exception {
    Path pointer = tmp.resolve("models/stuck");
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(pointer.toUri());
    try (OutputLease stuck = OutputLease.acquire(fs(), target, "--current", "app-stuck", TIMEOUT, Duration.ZERO, Duration.ofMillis(1))) {
      // The heartbeat's first renewal, a sixth of the timeout after the start, finds the maximum passed.
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (System.nanoTime() < deadline && stuck.lostReason() == null) {
        Thread.sleep(100);
      }
      assertThatThrownBy(stuck::check).isInstanceOf(InvalidInputException.class).hasMessageContaining("no longer renewed");
    }
  }
}
