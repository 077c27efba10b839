package io.sparkfit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The epochs of a run's checkpoints, as the tests that kill runs watch them: the folder
 * {@code .NAME.sparkfit-checkpoint} beside {@code output.dir}, on whatever file system holds it
 * (a local path, {@code hdfs://}).
 */
public final class CheckpointEpochs {
  private static final long POLL_MS = 100;

  private CheckpointEpochs() {}

  /** The epoch of the newest complete checkpoint beside {@code outputDir}, or 0 when there is none. */
  public static int latest(String outputDir, Configuration hadoop) throws IOException {
    Path out = new Path(outputDir);
    FileSystem fs = out.getFileSystem(hadoop);
    Path dir = new Path(fs.makeQualified(out).getParent(), "." + out.getName() + ".sparkfit-checkpoint");
    if (!fs.exists(dir)) {
      return 0;
    }
    int latest = 0;
    for (FileStatus entry : fs.listStatus(dir)) {
      String name = entry.getPath().getName();
      if (name.matches("epoch-\\d{6}")) {
        latest = Math.max(latest, Integer.parseInt(name.substring("epoch-".length())));
      }
    }
    return latest;
  }

  /**
   * Waits, while {@code process} trains, until it has a complete checkpoint of {@code epoch} or
   * later, and returns that checkpoint's epoch. The newest checkpoint always exists (it is renamed
   * into place before older ones go), so no epoch can slip by between two looks, however fast epochs are.
   */
  public static int await(Process process, String outputDir, Configuration hadoop, int epoch, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      int latest = latest(outputDir, hadoop);
      if (latest >= epoch) {
        return latest;
      }
      assertThat(process.isAlive()).as("still training while waiting for the checkpoint of epoch %d", epoch).isTrue();
      Thread.sleep(POLL_MS);
    }
    throw new AssertionError("no checkpoint of epoch " + epoch + " or later beside " + outputDir + " within " + timeout);
  }
}
