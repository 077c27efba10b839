package io.sparkfit.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.InvalidInputException;
import io.sparkfit.model.ModelArchive;
import io.sparkfit.model.TrainedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-of-epoch checkpoints of a training run, in a fixed hidden sibling of {@code output.dir}
 * ({@code .NAME.sparkfit-checkpoint/}), so that {@code --resume} finds them after the run died. Each
 * epoch's checkpoint is written to a temporary directory and renamed into place, so the latest
 * complete one is always readable; older ones are removed. A checkpoint holds the model with its
 * updater state (and iteration and epoch counts), the best model so far under early stopping, the
 * metrics history, the early-stopping state, and the hash of the config that wrote it. The random
 * state needs no saving: each epoch's randomness derives from {@code model.seed} and the epoch.
 *
 * <p>Everything is read back as JSON or through {@link ModelArchive}: no Java deserialization.
 */
public final class Checkpoints implements CheckpointSink {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STATE = "state.json";
  private static final String MODEL = "model.zip";
  private static final String BEST = "best.zip";
  private static final String PREFIX = "epoch-";

  private final FileSystem fs;
  private final Path dir;
  private final String configHash;

  private Checkpoints(FileSystem fs, Path dir, String configHash) {
    this.fs = fs;
    this.dir = dir;
    this.configHash = configHash;
  }

  /** What a checkpoint restores. */
  public record Checkpoint(
      int epoch, TrainedModel model, Optional<TrainedModel> best, List<Map<String, Object>> history, EarlyStoppingState earlyStopping) {}

  /** The checkpoints beside {@code outputDir}, for a run whose resolved config hashes to {@code configHash}. */
  public static Checkpoints beside(String outputDir, Configuration hadoop, String configHash) {
    try {
      Path target = new Path(outputDir);
      FileSystem fs = target.getFileSystem(hadoop);
      if (fs instanceof LocalFileSystem local) {
        local.setWriteChecksum(false);
      }
      Path qualified = fs.makeQualified(target);
      return new Checkpoints(fs, new Path(qualified.getParent(), "." + qualified.getName() + ".sparkfit-checkpoint"), configHash);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach the checkpoints of " + outputDir, e);
    }
  }

  public String location() {
    return "file".equals(dir.toUri().getScheme()) ? dir.toUri().getPath() : dir.toString();
  }

  /** The latest complete checkpoint; fails if there is none or another config wrote it. */
  public Checkpoint latestForResume() {
    try {
      Optional<Path> latest = latest();
      InvalidInputException.check(latest.isPresent(), "--resume: no checkpoint at %s to resume from", location());
      Path epochDir = latest.get();
      Map<String, Object> state;
      try (InputStream in = fs.open(new Path(epochDir, STATE))) {
        state = JSON.readValue(in, new TypeReference<>() {});
      }
      String hash = String.valueOf(state.get("config-hash"));
      InvalidInputException.check(
          configHash.equals(hash),
          "--resume: the checkpoint at %s was written by a different config (config hash %s, this config %s)",
          location(),
          hash.substring(0, Math.min(12, hash.length())),
          configHash.substring(0, 12));
      TrainedModel model = readModel(new Path(epochDir, MODEL));
      Path best = new Path(epochDir, BEST);
      Optional<TrainedModel> bestModel = fs.exists(best) ? Optional.of(readModel(best)) : Optional.empty();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> history = (List<Map<String, Object>>) state.get("history");
      @SuppressWarnings("unchecked")
      Map<String, Object> stopping = (Map<String, Object>) state.get("early-stopping");
      EarlyStoppingState earlyStopping =
          new EarlyStoppingState(
              ((Number) stopping.get("best-epoch")).intValue(),
              stopping.get("best-value") instanceof Number n ? n.doubleValue() : Double.NaN,
              ((Number) stopping.get("epochs-since-best")).intValue());
      int epoch = ((Number) state.get("epoch")).intValue();
      LOG.info("Resuming after epoch {} from {}", epoch, epochDir);
      return new Checkpoint(epoch, model, bestModel, history, earlyStopping);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the checkpoint at " + location(), e);
    }
  }

  /** Writes epoch {@code epoch}'s checkpoint; {@code best} is the best model when it is not {@code model}. */
  @Override
  public void save(
      int epoch, TrainedModel model, Optional<TrainedModel> best, List<Map<String, Object>> history, EarlyStoppingState earlyStopping) {
    Path finished = new Path(dir, String.format("%s%06d", PREFIX, epoch));
    Path partial = new Path(dir, "." + finished.getName() + ".partial");
    try {
      fs.delete(partial, true);
      try (OutputStream out = fs.create(new Path(partial, MODEL), true)) {
        ModelArchive.write(model, out);
      }
      if (best.isPresent()) {
        try (OutputStream out = fs.create(new Path(partial, BEST), true)) {
          ModelArchive.write(best.get(), out);
        }
      }
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("epoch", epoch);
      state.put("config-hash", configHash);
      Map<String, Object> stopping = new LinkedHashMap<>();
      stopping.put("best-epoch", earlyStopping.bestEpoch());
      stopping.put("best-value", Double.isFinite(earlyStopping.bestValue()) ? earlyStopping.bestValue() : null);
      stopping.put("epochs-since-best", earlyStopping.epochsSinceBest());
      state.put("early-stopping", stopping);
      state.put("history", history);
      try (OutputStream out = fs.create(new Path(partial, STATE), true)) {
        JSON.writeValue(out, state);
      }
      fs.delete(finished, true);
      if (!fs.rename(partial, finished)) {
        throw new IOException("Cannot rename " + partial + " to " + finished);
      }
      for (FileStatus older : list()) {
        if (!older.getPath().equals(finished)) {
          fs.delete(older.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the checkpoint of epoch " + epoch + " at " + location(), e);
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
