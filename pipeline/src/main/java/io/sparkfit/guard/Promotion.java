package io.sparkfit.guard;

import io.sparkfit.Failures;
import io.sparkfit.GateException;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.GuardConfig;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.ModelPointer;
import io.sparkfit.model.TrainedModel;
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
   * Points {@code pointer} at {@code model} when {@code verdict} passed (or there was none: the first
   * champion), else leaves it and fails with the gate's exit code.
   */
  public static void promoteOrRefuse(String pointer, String model, Optional<Comparison> verdict, Configuration hadoop, String key) {
    if (verdict.isPresent() && !verdict.get().passed()) {
      throw GateException.notPromoted(verdict.get().line() + "; " + key + " " + pointer + " still names the champion");
    }
    promote(pointer, model, verdict.map(Comparison::line).orElse("the first champion: nothing to compare with"), hadoop, key);
  }

  /**
   * Before training with {@code guard.promote.champion}: the pointer must be one (or not exist yet),
   * and the new output must not be the champion's own directory, which readers of the pointer are
   * using: each model goes to its own, versioned, directory.
   */
  public static void checkBeforeTraining(SparkfitConfig config, String outputLocation, Configuration hadoop) {
    if (config.guard().promote().champion().isEmpty()) {
      return;
    }
    String pointer = config.guard().promote().champion().get();
    Optional<ModelPointer> current = pointerAt(pointer, hadoop, "guard.promote.champion");
    if (current.isPresent()) {
      try {
        Path champion = new Path(current.get().model());
        Path output = new Path(outputLocation);
        InvalidInputException.check(
            !champion.getFileSystem(hadoop).makeQualified(champion).equals(output.getFileSystem(hadoop).makeQualified(output)),
            "output.dir = %s is the champion's own directory (guard.promote.champion %s names it); write each model to its own directory, "
                + "e.g. MODELS/DATE",
            outputLocation,
            pointer);
      } catch (IOException e) {
        throw InvalidInputException.of("Cannot reach guard.promote.champion = %s: %s", pointer, Failures.rootMessage(e));
      }
    }
  }

  /** Points {@code pointer} at {@code model}, for {@code reason}, in one rename. */
  public static void promote(String pointer, String model, String reason, Configuration hadoop, String key) {
    Optional<ModelPointer> previous = pointerAt(pointer, hadoop, key);
    ModelPointer next = ModelPointer.to(model, previous.map(ModelPointer::model), Instant.now().toString(), reason);
    try {
      next.writeTo(pointer, hadoop);
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot write %s = %s: %s", key, pointer, Failures.rootMessage(e));
    }
    LOG.info("Promoted {}: {} now names it{}", model, pointer, previous.map(p -> " (was " + p.model() + ")").orElse(""));
  }
}
