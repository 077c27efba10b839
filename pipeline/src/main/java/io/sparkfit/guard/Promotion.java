package io.sparkfit.guard;

import io.sparkfit.Failures;
import io.sparkfit.GateException;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.GuardConfig;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.ModelPointer;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.output.LeasedUpdate;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotion: pointing a {@link ModelPointer} ({@code current}) at a model, in one rename, once the
 * champion/challenger gate has passed (or when there is no champion yet). The versioned models the
 * pointer names are written once and never again, so a reader following the pointer sees one whole
 * model, the old or the new.
 */
public final class Promotion {
  private static final Logger LOG = LoggerFactory.getLogger(Promotion.class);
  /** Batch size both models score the holdout with at the end of training. */
  static final int SCORING_BATCH = 256;

  private Promotion() {}

  /**
   * At the end of {@code train} with {@code guard.promote.champion}: the new model against the one
   * the pointer names, on the holdout. Empty when the pointer does not exist yet (the first model
   * is promoted as it is) or when no champion is configured.
   */
  public static Optional<Comparison> challenge(SparkSession spark, SparkfitConfig config, TrainedModel challenger, String challengerPath) {
    GuardConfig.Promote gate = config.guard().promote();
    if (gate.champion().isEmpty()) {
      return Optional.empty();
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String pointer = gate.champion().get();
    Optional<ModelPointer> current = pointerAt(pointer, hadoop, "guard.promote.champion");
    if (current.isEmpty()) {
      LOG.info("Champion/challenger gate: guard.promote.champion {} does not exist yet: this model will be the first champion", pointer);
      return Optional.empty();
    }
    String holdoutKey = gate.holdout().isPresent() ? "guard.promote.holdout" : "data.validation";
    String holdout = gate.holdout().or(() -> config.data().validation()).orElseThrow();
    TrainedModel champion = ModelFiles.load(current.get().model(), hadoop, "guard.promote.champion");
    Comparison result =
        ChampionChallenger.compare(
            spark,
            new ChampionChallenger.Named(current.get().model(), champion),
            new ChampionChallenger.Named(challengerPath, challenger),
            holdout,
            holdoutKey,
            gate,
            SCORING_BATCH,
            config.metrics().aucBins());
    LOG.info("Champion/challenger gate: {}", result.line());
    return Optional.of(result);
  }

  /**
   * The pointer at {@code location}, or empty when nothing is there; anything else there (a model
   * directory, another file) is refused, since promoting would replace it.
   */
  public static Optional<ModelPointer> pointerAt(String location, Configuration hadoop, String key) {
    Optional<ModelPointer> pointer = ModelPointer.read(location, hadoop, key);
    if (pointer.isPresent()) {
      return pointer;
    }
    try {
      Path path = new Path(location);
      InvalidInputException.check(
          !path.getFileSystem(hadoop).exists(path),
          "%s = %s is not a promotion pointer (a small JSON file Sparkfit's promotion writes); give the pointer's path, such as MODELS/current",
          key,
          location);
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot reach %s = %s: %s", key, location, Failures.rootMessage(e));
    }
    return Optional.empty();
  }

  /**
   * What the pointer must name at the moment it is replaced, so that a stale verdict (an old day's
   * promotion re-run after a newer model went into service) never rolls the champion back.
   */
  public record Expected(Optional<String> champion, boolean checked) {
    /** No check: a promotion by hand. */
    public static Expected anything() {
      return new Expected(Optional.empty(), false);
    }

    /** No pointer yet: the first champion. */
    public static Expected nothing() {
      return new Expected(Optional.empty(), true);
    }

    /** The champion the challenger was compared with. */
    public static Expected champion(String model) {
      return new Expected(Optional.of(model), true);
    }
  }

  /**
   * Points {@code pointer} at {@code model} when {@code verdict} passed (or there was none: the first
   * champion), else leaves it and fails with the gate's exit code.
   */
  public static void promoteOrRefuse(String pointer, String model, Optional<Comparison> verdict, Configuration hadoop, String key) {
    if (verdict.isPresent() && !verdict.get().passed()) {
      throw GateException.notPromoted(verdict.get().line() + "; " + key + " " + pointer + " still names the champion");
    }
    promote(
        pointer,
        model,
        verdict.map(Comparison::line).orElse("the first champion: nothing to compare with"),
        verdict.map(v -> Expected.champion(v.champion().path())).orElse(Expected.nothing()),
        hadoop,
        key);
  }

  /**
   * Before training with {@code guard.promote.champion}, so that nothing surfaces only after the
   * epochs: the pointer must be one (or not exist yet); the new output must not be the champion's own
   * directory, which readers of the pointer are using (each model goes to its own, versioned,
   * directory); and the champion must predict the same label for the same task.
   */
  public static void checkBeforeTraining(SparkfitConfig config, String outputLocation, Configuration hadoop) {
    if (config.guard().promote().champion().isEmpty()) {
      return;
    }
    String pointer = config.guard().promote().champion().get();
    String holdoutKey = config.guard().promote().holdout().isPresent() ? "guard.promote.holdout" : "data.validation";
    String holdout = config.guard().promote().holdout().or(() -> config.data().validation()).orElseThrow();
    try {
      Path path = new Path(holdout);
      org.apache.hadoop.fs.FileStatus[] found = path.getFileSystem(hadoop).globStatus(path);
      InvalidInputException.check(found != null && found.length > 0, "%s = %s does not exist", holdoutKey, holdout);
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot reach %s = %s: %s", holdoutKey, holdout, Failures.rootMessage(e));
    }
    if (config.guard().promote().holdout().isEmpty()) {
      LOG.warn(
          "Champion/challenger gate: the holdout is data.validation, which also chose the challenger's kept epoch; "
              + "set guard.promote.holdout to data neither model has seen for an unbiased verdict");
    }
    Optional<ModelPointer> current = pointerAt(pointer, hadoop, "guard.promote.champion");
    if (current.isEmpty()) {
      return;
    }
    InvalidInputException.check(
        !sameModel(current.get().model(), outputLocation, hadoop),
        "output.dir = %s is the champion's own directory (guard.promote.champion %s names it); write each model to its own directory, "
            + "e.g. MODELS/DATE",
        outputLocation,
        pointer);
    TrainedModel champion = ModelFiles.load(current.get().model(), hadoop, "guard.promote.champion");
    InvalidInputException.check(
        champion.task() == config.data().task() && champion.labelColumn().name().equals(config.data().label()),
        "guard.promote.champion %s names a %s model of label '%s'; this run trains a %s model of label '%s': they cannot be compared",
        pointer,
        champion.task().name().toLowerCase(java.util.Locale.ROOT),
        champion.labelColumn().name(),
        config.data().task().name().toLowerCase(java.util.Locale.ROOT),
        config.data().label());
  }

  /** Whether two paths name the same model: a directory and its {@code model.zip} are one model. */
  public static boolean sameModel(String a, String b, Configuration hadoop) {
    return qualified(a, hadoop).equals(qualified(b, hadoop));
  }

  /** The model directory a path names, qualified with its file system: {@code DIR/model.zip} is {@code DIR}. */
  private static String qualified(String location, Configuration hadoop) {
    try {
      Path path = new Path(location);
      if (path.getName().equals(io.sparkfit.model.ModelArchive.FILE_NAME)) {
        path = path.getParent();
      }
      return path.getFileSystem(hadoop).makeQualified(path).toString();
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot reach %s: %s", location, Failures.rootMessage(e));
    }
  }

  /**
   * Points {@code pointer} at {@code model} (a pointer there is followed: the pointer names the model
   * itself, qualified), for {@code reason}, in one rename, provided the pointer still names what
   * {@code expected} says; otherwise it is left and the promotion refused with exit code 5.
   */
  public static void promote(String pointer, String model, String reason, Expected expected, Configuration hadoop, String key) {
    String target = qualified(ModelFiles.resolve(model, hadoop, key), hadoop);
    InvalidInputException.check(!sameModel(target, pointer, hadoop), "%s = %s would name itself; give a model directory", key, pointer);
    // Promotions of one pointer go one at a time: two racing ones (a backfill's days) would otherwise
    // both find the champion they compared with, and the later rename would undo the other's.
    LeasedUpdate.run(
        hadoop, pointer, key, "promotion of " + target, stillHeld -> swap(pointer, target, model, reason, expected, hadoop, key, stillHeld));
  }

  private static void swap(
      String pointer, String target, String model, String reason, Expected expected, Configuration hadoop, String key, Runnable stillHeld) {
    Optional<ModelPointer> previous = pointerAt(pointer, hadoop, key);
    if (expected.checked()) {
      boolean still =
          expected.champion().isEmpty()
              ? previous.isEmpty()
              : previous.isPresent() && sameModel(previous.get().model(), expected.champion().get(), hadoop);
      if (!still) {
        throw GateException.notPromoted(
            String.format(
                "%s = %s now names %s, not %s, the champion the challenger %s was compared with; not promoted (compare it with the model in service)",
                key,
                pointer,
                previous.map(ModelPointer::model).orElse("nothing"),
                expected.champion().orElse("nothing"),
                model));
      }
    }
    ModelPointer next = ModelPointer.to(target, previous.map(ModelPointer::model), Instant.now().toString(), reason);
    stillHeld.run();
    try {
      next.writeTo(pointer, hadoop);
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot write %s = %s: %s", key, pointer, Failures.rootMessage(e));
    }
    LOG.info("Promoted {}: {} now names it{}", target, pointer, previous.map(p -> " (was " + p.model() + ")").orElse(""));
  }
}
