package io.sparkfit.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per output: a lease on an output, held by one run from before it reads anything until
 * its output is committed or it gives up. The lease is a small JSON file beside the output
 * ({@code .NAME.sparkfit-lease}) created atomically (exclusive create on the local file system;
 * HDFS's {@code create} without overwrite is atomic at the NameNode), naming its holder; the holder
 * renews it (its modification time) every sixth of the timeout. A second run on the same output is
 * refused at once, naming the holder. A lease not renewed for its timeout, or whose holder's process
 * on this host is gone, is taken over: one taker at a time removes it (under a second exclusive
 * file), and the exclusive create decides who holds it next.
 *
 * <p>The holder checks, at every renewal, that the file is still its own, and gives the lease up as
 * lost when it is not, or when it could not renew it for a whole timeout (then another run may have
 * taken over); {@link #check()} fails from then on, so a run that lost its lease writes nothing more.
 * On object stores, where create is not atomic, two runs starting within a moment of each other can
 * both believe they hold it; the renewal check then stops the loser within a sixth of the timeout.
 */
final class OutputLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputLease.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".sparkfit-lease";
  private static final int ATTEMPTS = 20;
  /** How long a taker waits while another one removes a stale lease (milliseconds). */
  private static final long RETRY_PAUSE = 50;

  /**
   * Who holds a lease: the Spark application, where its driver runs, when it started, and the
   * random {@code owner} that tells this holding from any other.
   */
  public record Holder(String owner, String application, String host, long pid, String user, String started, int timeoutSeconds) {
    String describe() {
      return String.format("application %s (pid %d on host %s, user %s), started %s", application, pid, host, user, started);
    }
  }

  private final FileSystem fs;
  private final Path file;
  private final String key;
  private final Holder me;
  private final List<Path> createdDirectories;
  private final ScheduledExecutorService heartbeat;
  private volatile long renewedAt = System.nanoTime();
  private volatile String lost;
  /** Past this moment (System.nanoTime) the lease is no longer renewed, for writers that must hold it briefly. */
  private final long renewUntil;
  private final Duration maxHold;

  private OutputLease(FileSystem fs, Path file, String key, Holder me, List<Path> createdDirectories, Duration maxHold) {
    this.maxHold = maxHold;
    this.renewUntil = maxHold == null ? Long.MAX_VALUE : System.nanoTime() + maxHold.toNanos();
    this.fs = fs;
    this.file = file;
    this.key = key;
    this.me = me;
    this.createdDirectories = createdDirectories;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sparkfit-lease-" + file.getName());
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(1000, me.timeoutSeconds() * 1000L / 6);
    heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /** Where the lease of {@code target} lives: a hidden sibling, like the staging directories. */
  public static Path fileFor(Path target) {
    return new Path(target.getParent(), "." + target.getName() + SUFFIX);
  }

  /**
   * Takes the lease on {@code target} for {@code application}, or fails with one line naming the run
   * that holds it ({@code key} names the output in messages: {@code output.dir}, {@code --output}).
   * A missing parent directory is created, and removed again on {@link #close()} if still empty.
   */
  public static OutputLease acquire(FileSystem fs, Path target, String key, String application, Duration timeout) {
    return acquire(fs, target, key, application, timeout, Duration.ZERO, null);
  }

  /**
   * As {@link #acquire(FileSystem, Path, String, String, Duration)}, but while a live run holds the
   * lease, waits up to {@code patience} for it to be released before failing: for writers that hold
   * it for a moment only (promotions of a pointer). Such a holder renews it for {@code maxHold} at
   * most (null: as long as it holds it), so that one stuck holding it does not keep the others
   * waiting for ever: past that it lets the lease go stale, and {@link #check()} fails.
   */
  static OutputLease acquire(
      FileSystem fs, Path target, String key, String application, Duration timeout, Duration patience, Duration maxHold) {
    long waitUntil = System.nanoTime() + patience.toNanos();
    Path qualified = fs.makeQualified(target);
    Path file = fileFor(qualified);
    Holder me =
        new Holder(
            UUID.randomUUID().toString(),
            application,
            localHost(),
            ProcessHandle.current().pid(),
            System.getProperty("user.name", "unknown"),
            Instant.now().toString(),
            (int) timeout.toSeconds());
    List<Path> created = List.of();
    try {
      created = createParents(fs, file.getParent());
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (createExclusive(fs, file, JSON.writeValueAsBytes(me))) {
          return new OutputLease(fs, file, key, me, created, maxHold);
        }
        Optional<Holder> holder = read(fs, file);
        Optional<FileStatus> status = status(fs, file);
        if (status.isEmpty()) {
          continue; // released between our two looks: try again
        }
        double silentSeconds = (System.currentTimeMillis() - status.get().getModificationTime()) / 1000.0;
        int holderTimeout = holder.map(Holder::timeoutSeconds).filter(t -> t > 0).orElse((int) timeout.toSeconds());
        String why = staleness(holder, silentSeconds, holderTimeout, me.host());
        if (why == null && System.nanoTime() < waitUntil) {
          // Held by a live run for a moment: waiting is not an attempt at taking it over.
          if (Thread.currentThread().isInterrupted()) {
            removeCreated(fs, created);
            throw InvalidInputException.of("%s %s: interrupted while waiting for its lease, held by %s", key,
                StagedWrite.display(qualified), holder.map(Holder::describe).orElse("another run"));
          }
          sleep(RETRY_PAUSE);
          // The holder waited for may have removed, on letting go, the directory it had created.
          List<Path> again = createParents(fs, file.getParent());
          if (!again.isEmpty()) {
            created = again;
          }
          attempt--;
          continue;
        }
        if (why == null) {
          removeCreated(fs, created);
          throw InvalidInputException.of(
              "%s %s is in use by another run: %s; its lease was renewed %.0f s ago and is taken over only once not renewed "
                  + "for %d s (%s)",
              key,
              StagedWrite.display(qualified),
              holder.map(Holder::describe).orElse("a run whose lease file is being written"),
              silentSeconds,
              holderTimeout,
              StagedWrite.display(file));
        }
        if (removeStale(fs, file, holder, status.get().getModificationTime(), me, holderTimeout)) {
          LOG.info(
              "Took over the lease on {} {} from {}: {}",
              key,
              StagedWrite.display(qualified),
              holder.map(Holder::describe).orElse("an unreadable lease"),
              why);
        } else {
          sleep(RETRY_PAUSE);
        }
      }
      removeCreated(fs, created);
      throw InvalidInputException.of(
          "%s %s: could not take its lease (%s) in %d attempts; other runs keep taking it",
          key, StagedWrite.display(qualified), StagedWrite.display(file), ATTEMPTS);
    } catch (IOException e) {
      removeCreated(fs, created);
      throw InvalidInputException.of(
          "Cannot take the lease on %s %s: %s", key, StagedWrite.display(qualified), Failures.rootMessage(e));
    }
  }

  /** Why a lease may be taken over, or null while its holder may be alive. */
  static String staleness(Optional<Holder> holder, double silentSeconds, int timeoutSeconds, String thisHost) {
    if (silentSeconds > timeoutSeconds) {
      return String.format("not renewed for %.0f s (timeout %d s)", silentSeconds, timeoutSeconds);
    }
    if (holder.isPresent() && holder.get().host().equals(thisHost) && holder.get().pid() > 0) {
      boolean alive = ProcessHandle.of(holder.get().pid()).map(ProcessHandle::isAlive).orElse(false);
      if (!alive) {
        return "its process " + holder.get().pid() + " on this host is gone";
      }
    }
    return null;
  }

  /**
   * Removes a stale lease so that the next exclusive create can take it. Takers go one at a time,
   * through a second exclusive file beside the lease, and the lease is removed only if it is still
   * the stale one (same holder, still not renewed): a lease is only ever created exclusively, and
   * removed by its holder or under this lock, so no fresh lease is ever removed.
   */
  private static boolean removeStale(FileSystem fs, Path file, Optional<Holder> stale, long staleModified, Holder me, int timeoutSeconds)
      throws IOException {
    Path lock = new Path(file.getParent(), file.getName() + ".takeover");
    if (!createExclusive(fs, lock, me.owner().getBytes(StandardCharsets.UTF_8))) {
      // Another run is taking over now. A lock left by a taker that died mid-takeover is cleared for the next attempt.
      Optional<FileStatus> held = status(fs, lock);
      if (held.isPresent() && System.currentTimeMillis() - held.get().getModificationTime() > timeoutSeconds * 1000L) {
        fs.delete(lock, false);
      }
      return false;
    }
    try {
      Optional<Holder> now = read(fs, file);
      Optional<FileStatus> status = status(fs, file);
      boolean unchanged =
          status.isPresent()
              && status.get().getModificationTime() == staleModified
              && now.map(Holder::owner).equals(stale.map(Holder::owner));
      return unchanged && fs.delete(file, false);
    } finally {
      fs.delete(lock, false);
    }
  }

  /** Fails when this run no longer holds the lease: another run took it over, or it could not be renewed. */
  public void check() {
    String reason = lost;
    if (reason == null && System.nanoTime() - renewedAt > me.timeoutSeconds() * 1_000_000_000L) {
      reason = "it could not be renewed for " + me.timeoutSeconds() + " s, so another run may have taken it over";
    }
    if (reason != null) {
      throw InvalidInputException.of("%s: this run lost its lease (%s): %s; stopping without writing", key, StagedWrite.display(file), reason);
    }
  }

  /** Why this run lost the lease, or null while it holds it. */
  String lostReason() {
    return lost;
  }

  /** The lease file. */
  public Path file() {
    return file;
  }

  private void renew() {
    if (System.nanoTime() > renewUntil) {
      lost = "it was held longer than " + maxHold.toSeconds() + " s, so it is no longer renewed";
      LOG.warn("{}: {}", key, lost);
      heartbeat.shutdown();
      return;
    }
    try {
      Optional<Holder> holder = read(fs, file);
      if (holder.isEmpty() || !holder.get().owner().equals(me.owner())) {
        lost = holder.map(h -> "it was taken over by " + h.describe()).orElse("its file is gone");
        LOG.warn("{}: lost the lease ({})", key, lost);
        heartbeat.shutdown();
        return;
      }
      fs.setTimes(file, System.currentTimeMillis(), -1);
      renewedAt = System.nanoTime();
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: could not renew the lease {}: {}", key, StagedWrite.display(file), Failures.rootMessage(e));
    }
  }

  /** Stops renewing, and removes the lease if it is still this run's (and any parent directory it created, if empty). */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      if (lost == null && read(fs, file).map(Holder::owner).filter(me.owner()::equals).isPresent()) {
        fs.delete(file, false);
      }
      removeCreated(fs, createdDirectories);
    } catch (IOException e) {
      LOG.warn("{}: could not remove the lease {}: {}", key, StagedWrite.display(file), Failures.rootMessage(e));
    }
  }

  private static Optional<Holder> read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      byte[] bytes = in.readAllBytes();
      return Optional.of(JSON.readValue(new String(bytes, StandardCharsets.UTF_8), Holder.class));
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      // Being written by its creator this moment, or not a lease Sparkfit wrote.
      return Optional.empty();
    }
  }

  private static Optional<FileStatus> status(FileSystem fs, Path file) throws IOException {
    try {
      return Optional.of(fs.getFileStatus(file));
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Creates {@code file} with {@code content} unless it exists, atomically. */
  private static boolean createExclusive(FileSystem fs, Path file, byte[] content) throws IOException {
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      // Hadoop's local create checks and creates in two steps; O_EXCL does both at once.
      try (OutputStream out =
          Files.newOutputStream(Paths.get(file.toUri()), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(content);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(content);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (org.apache.hadoop.ipc.RemoteException e) {
      // HDFS: another client is creating the file this moment (its create not yet closed). It exists.
      if (BEING_CREATED.contains(e.getClassName())) {
        return false;
      }
      throw e;
    }
  }

  /** HDFS's answers to a create of a file another client is still writing. */
  private static final java.util.Set<String> BEING_CREATED =
      java.util.Set.of(
          "org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException", "org.apache.hadoop.hdfs.protocol.RecoveryInProgressException");

  /** Creates the missing directories down to {@code dir}; returns them, deepest first. */
  private static List<Path> createParents(FileSystem fs, Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && !fs.exists(p); p = p.getParent()) {
      missing.add(p);
    }
    if (!missing.isEmpty() && !fs.mkdirs(dir)) {
      throw new IOException("Cannot create directory " + dir);
    }
    return missing;
  }

  private static void removeCreated(FileSystem fs, List<Path> created) {
    for (Path dir : created) {
      try {
        FileStatus[] left = fs.listStatus(dir);
        if (left.length > 0 || !fs.delete(dir, false)) {
          return;
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
