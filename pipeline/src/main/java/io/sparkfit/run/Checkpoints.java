package io.sparkfit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.model.ModelArchive;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.output.StagedWrite;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-of-epoch checkpoints of a training run, in a fixed hidden sibling of {@code output.dir}
 * ({@code .NAME.sparkfit-checkpoint/}), so that {@code --resume} finds them after the run died. Each
 * epoch's checkpoint is a {@link StagedWrite} of its own directory, so the latest complete one is
 * always readable; older ones are removed. Each records the resume fingerprint of the config that
 * wrote it ({@link io.sparkfit.config.LoadedConfig#resumeFingerprint()}).
 *
 * <p>Everything is read back as JSON or through {@link ModelArchive}: no Java deserialization.
 */
final class Checkpoints implements CheckpointSink {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STATE = "state.json";
  private static final String MODEL = "model.zip";
  private static final String BEST = "best.zip";
  private static final String PREFIX = "epoch-";

  private final FileSystem fs;
  private final Path dir;
  private final String fingerprint;
  private final Set<String> resumable;

  private Checkpoints(FileSystem fs, Path dir, String fingerprint, Set<String> resumable) {
    this.fs = fs;
    this.dir = dir;
    this.fingerprint = fingerprint;
    this.resumable = resumable;
  }

  /** The checkpoints of a run of {@code config}, beside its {@code output.dir}. */
  public static Checkpoints of(LoadedConfig config, Configuration hadoop) {
    return beside(
        config.config().output().dir(), hadoop, config.resumeFingerprint(), Set.of(config.resumeFingerprint(), config.previousFingerprint()));
  }

  /**
   * The checkpoints beside {@code outputDir}, written with {@code fingerprint}; a checkpoint resumes
   * when its fingerprint is one of {@code resumable}.
   */
  static Checkpoints beside(String outputDir, Configuration hadoop, String fingerprint, Set<String> resumable) {
    try {
      Path path = new Path(outputDir);
      FileSystem fs = StagedWrite.fileSystem(path, hadoop);
      Path target = fs.makeQualified(path);
      return new Checkpoints(fs, new Path(target.getParent(), "." + target.getName() + ".sparkfit-checkpoint"), fingerprint, resumable);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach the checkpoints of " + outputDir, e);
    }
  }

  public String location() {
    return StagedWrite.display(dir);
  }

  /** The latest complete checkpoint; fails if there is none or a config with another fingerprint wrote it. */
  public Checkpoint latestForResume() {
    try {
      Optional<Path> latest = latest();
      InvalidInputException.check(latest.isPresent(), "--resume: no checkpoint at %s to resume from", location());
      Path epochDir = latest.get();
      JsonNode state;
      try (InputStream in = fs.open(new Path(epochDir, STATE))) {
        state = JSON.readTree(in);
      }
      String written = state.path("config-hash").asText();
      InvalidInputException.check(
          resumable.contains(written),
          "--resume: the checkpoint at %s was written by a different config (config hash %s, this config %s)",
          location(),
          written.substring(0, Math.min(12, written.length())),
          fingerprint.substring(0, 12));
      TrainedModel model = readModel(new Path(epochDir, MODEL));
      Path best = new Path(epochDir, BEST);
      Optional<TrainedModel> bestModel = fs.exists(best) ? Optional.of(readModel(best)) : Optional.empty();
      JsonNode stopping = state.path("early-stopping");
      EarlyStoppingState earlyStopping =
          new EarlyStoppingState(
              stopping.path("best-epoch").asInt(),
              stopping.path("best-value").isNumber() ? stopping.get("best-value").asDouble() : Double.NaN,
              stopping.path("epochs-since-best").asInt());
      int epoch = state.path("epoch").asInt();
      LOG.info("Resuming after epoch {} from {}", epoch, epochDir);
      return new Checkpoint(epoch, model, bestModel, TrainingHistory.fromJson(state.path("history")), earlyStopping);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the checkpoint at " + location(), e);
    }
  }

  /** Writes the checkpoint of its epoch, then removes the older ones. */
  @Override
  public void save(Checkpoint checkpoint) {
    Path finished = new Path(dir, String.format("%s%06d", PREFIX, checkpoint.epoch()));
    try {
      StagedWrite.of(fs, finished, "partial").write(staged -> write(checkpoint, staged));
      for (FileStatus older : list()) {
        if (!older.getPath().equals(finished)) {
          fs.delete(older.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the checkpoint of epoch " + checkpoint.epoch() + " at " + location(), e);
    }
  }

  private void write(Checkpoint checkpoint, StagedWrite staged) throws IOException {
    try (OutputStream out = staged.create(MODEL)) {
      ModelArchive.write(checkpoint.model(), out);
    }
    if (checkpoint.best().isPresent()) {
      try (OutputStream out = staged.create(BEST)) {
        ModelArchive.write(checkpoint.best().get(), out);
      }
    }
    ObjectNode state = JSON.createObjectNode();
    state.put("epoch", checkpoint.epoch());
    state.put("config-hash", fingerprint);
    ObjectNode stopping = state.putObject("early-stopping");
    EarlyStoppingState s = checkpoint.earlyStopping();
    stopping.put("best-epoch", s.bestEpoch());
    RunMetrics.putFinite(stopping, "best-value", s.bestValue());
    stopping.put("epochs-since-best", s.epochsSinceBest());
    state.set("history", checkpoint.history().toJson());
    try (OutputStream out = staged.create(STATE)) {
      JSON.writeValue(out, state);
    }
  }

  /** Whether there is a complete checkpoint (of any config). */
  public boolean exists() {
    try {
      return latest().isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the checkpoints at " + location(), e);
    }
  }

  /** Removes every checkpoint: the run they belong to has finished. */
  public void delete() {
    try {
      fs.delete(dir, true);
    } catch (IOException e) {
      LOG.warn("Could not remove the checkpoints at {}: {}", location(), e.toString());
    }
  }

  private Optional<Path> latest() throws IOException {
    return list().stream().map(FileStatus::getPath).max(Comparator.comparing(Path::getName));
  }

  private List<FileStatus> list() throws IOException {
    if (!fs.exists(dir)) {
      return List.of();
    }
    return Arrays.stream(fs.listStatus(dir))
        .filter(s -> s.isDirectory() && s.getPath().getName().startsWith(PREFIX))
        .toList();
  }

  private TrainedModel readModel(Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return ModelArchive.read(in, file.toString());
    }
  }
}
