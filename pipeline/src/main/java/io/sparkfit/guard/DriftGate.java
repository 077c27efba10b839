package io.sparkfit.guard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkfit.Failures;
import io.sparkfit.GateException;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.GuardConfig;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.inputs.DriftReference;
import io.sparkfit.model.ModelArchive;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.Provenance;
import io.sparkfit.output.StagedWrite;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code guard.drift}: checks a run's training data against a reference model's data profile before
 * training. The comparison uses the profile the run makes anyway (one pass, states merged like the
 * metric states), so it reads no data of its own. Without a reference the gate is {@link #off}, a
 * no-op.
 */
public abstract sealed class DriftGate permits DriftGate.Off, DriftGate.Checking {
  private static final Logger LOG = LoggerFactory.getLogger(DriftGate.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** The drift table in a training output. */
  public static final String FILE = "drift.json";

  DriftGate() {}

  /** The gate that checks nothing. */
  public static DriftGate off() {
    return new Off();
  }

  /**
   * The gate {@code config.guard().drift()} asks for: its reference read now (so an unreadable one
   * fails before any work), or {@link #off} when there is none.
   */
  public static DriftGate of(SparkfitConfig config, Configuration hadoop) {
    GuardConfig.Drift drift = config.guard().drift();
    Optional<String> reference;
    if (drift.reference() instanceof GuardConfig.PathReference path) {
      reference = Optional.of(path.path());
    } else if (drift.reference() instanceof GuardConfig.AutoReference) {
      reference = automatic(config, hadoop);
    } else {
      reference = Optional.empty();
    }
    if (reference.isEmpty()) {
      if (drift.reference() instanceof GuardConfig.AutoReference) {
        LOG.info("Drift check: no reference (no earlier output in output.dir, no model.init-from): not checked");
      }
      return off();
    }
    String key = drift.reference() instanceof GuardConfig.PathReference ? "guard.drift.reference" : "the drift reference";
    String resolved = ModelFiles.resolve(reference.get(), hadoop, key);
    Optional<DriftReference> profile = ModelFiles.provenance(resolved, hadoop, key).map(Provenance::driftReference);
    if (profile.isEmpty()) {
      InvalidInputException.check(
          !(drift.reference() instanceof GuardConfig.PathReference),
          "guard.drift.reference = %s is a model saved without a data profile to check against (retrain it with this Sparkfit)",
          reference.get());
      LOG.info("Drift check: the reference {} was saved without a data profile: not checked", resolved);
      return off();
    }
    return new Checking(profile.get(), resolved, drift, config.output().dir(), hadoop);
  }

  /** The previous output in {@code output.dir}, else {@code model.init-from}. */
  private static Optional<String> automatic(SparkfitConfig config, Configuration hadoop) {
    try {
      Path previous = new Path(config.output().dir(), ModelArchive.FILE_NAME);
      if (previous.getFileSystem(hadoop).exists(previous)) {
        return Optional.of(config.output().dir());
      }
    } catch (IOException e) {
      throw InvalidInputException.of("Cannot reach output.dir %s: %s", config.output().dir(), Failures.rootMessage(e));
    }
    return config.model().initFrom();
  }

  /** Where a run the gate stopped leaves its drift table: beside {@code output.dir}, as {@code DIR.drift.json}. */
  public static String rejectedTable(String outputDir) {
    String trimmed = outputDir.endsWith("/") ? outputDir.substring(0, outputDir.length() - 1) : outputDir;
    return trimmed + ".drift.json";
  }

  /**
   * Before the data is profiled: the columns the run needs that the table no longer has (or has with
   * another type) stop it here under {@code on-violation = fail}, since there is nothing to profile;
   * otherwise the full check follows {@link #check}.
   */
  public abstract void checkSchema(StructType schema);

  /** The drift table of {@code current} against the reference; stops the run with exit code 4 when it must. */
  public abstract Optional<DriftTable> check(DriftReference current);

  static final class Off extends DriftGate {
    @Override
    public void checkSchema(StructType schema) {}

    @Override
    public Optional<DriftTable> check(DriftReference current) {
      return Optional.empty();
    }
  }

  static final class Checking extends DriftGate {
    private final DriftReference reference;
    private final String referenceName;
    private final GuardConfig.Drift limits;
    private final String outputDir;
    private final Configuration hadoop;

    Checking(DriftReference reference, String referenceName, GuardConfig.Drift limits, String outputDir, Configuration hadoop) {
      this.reference = reference;
      this.referenceName = referenceName;
      this.limits = limits;
      this.outputDir = outputDir;
      this.hadoop = hadoop;
    }

    @Override
    public void checkSchema(StructType schema) {
      Set<String> needed = new TreeSet<>();
      reference.columns().forEach(c -> needed.add(c.column()));
      needed.add(reference.label());
      java.util.Map<String, String> types = new java.util.HashMap<>();
      for (StructField f : schema.fields()) {
        types.put(f.name(), f.dataType().catalogString());
      }
      boolean profilable =
          reference.schema().stream()
              .filter(c -> needed.contains(c.column()))
              .allMatch(c -> c.type().equals(types.get(c.column())));
      if (profilable || limits.onViolation() != GuardConfig.OnViolation.FAIL) {
        return;
      }
      List<DriftReference.TableColumn> columns = new ArrayList<>();
      for (StructField f : schema.fields()) {
        columns.add(new DriftReference.TableColumn(f.name(), f.dataType().catalogString()));
      }
      DriftReference schemaOnly = new DriftReference(0, columns, reference.label(), null, List.of());
      fail(DriftCheck.compare(reference, referenceName, schemaOnly, limits));
    }

    @Override
    public Optional<DriftTable> check(DriftReference current) {
      DriftTable table = DriftCheck.compare(reference, referenceName, current, limits);
      List<DriftTable.ColumnDrift> violations = table.violations();
      LOG.info(
          "Drift check against {} ({} rows then, {} now): {} of {} columns drifted{}",
          referenceName,
          table.referenceRows(),
          table.rows(),
          violations.size(),
          table.columns().size(),
          violations.isEmpty() ? "" : " (guard.drift.on-violation = " + table.onViolation() + ")");
      if (violations.isEmpty()) {
        return Optional.of(table);
      }
      if (limits.onViolation() == GuardConfig.OnViolation.FAIL) {
        fail(table);
      }
      violations.forEach(v -> LOG.warn("Drift: {}", v.line()));
      return Optional.of(table);
    }

    private void fail(DriftTable table) {
      String written = rejectedTable(outputDir);
      try {
        Path path = new Path(written);
        FileSystem fs = StagedWrite.fileSystem(path, hadoop);
        StagedWrite.of(fs, path, "drift")
            .write(
                staged -> {
                  try (OutputStream out = staged.create()) {
                    JSON.writeValue(out, table);
                  }
                });
      } catch (IOException e) {
        LOG.warn("Could not write the drift table to {}: {}", written, Failures.rootMessage(e));
      }
      List<DriftTable.ColumnDrift> violations = table.violations();
      StringBuilder message =
          new StringBuilder(
              String.format(
                  "the training data drifted from %s in %d column%s (guard.drift.on-violation = fail; the drift table is in %s); not trained:",
                  referenceName,
                  violations.size(),
                  violations.size() == 1 ? "" : "s",
                  written));
      violations.forEach(v -> message.append("\n  ").append(v.line()));
      throw GateException.drift(message.toString());
    }
  }
}
