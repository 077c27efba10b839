package io.sparkfit.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.OutputConfig;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.data.ReadFailures;
import io.sparkfit.data.ScoringTable;
import io.sparkfit.data.TableReader;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.output.OutputDirectory;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The predict job: scores Parquet with a model and writes Parquet with the kept input columns,
 * {@code prediction} and (for classifiers) {@code probability}, atomically. Rows with features the
 * model cannot take fail the job with a count and an example, before anything is written, or are
 * skipped and counted when {@code data.drop-invalid} is true (the model's training setting by default).
 */
public final class Prediction {
  private static final Logger LOG = LoggerFactory.getLogger(Prediction.class);
  public static final String PREDICTION = "prediction";
  public static final String PROBABILITY = "probability";
  /** The provenance of the model that scored, written into the output directory. */
  public static final String MODEL_PROVENANCE_FILE = "_model-provenance.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Prediction() {}

  /** Which input columns to copy to the output. */
  public record Keep(List<String> columns, boolean all) {
    public Keep {
      columns = List.copyOf(columns);
    }

    public static Keep none() {
      return new Keep(List.of(), false);
    }

    public static Keep allColumns() {
      return new Keep(List.of(), true);
    }
  }

  /**
   * What a prediction run did.
   *
   * @param unseenCategories per categorical feature column, rows whose value the model's vocabulary
   *     lacks (scored through its "other" input)
   */
  public record Summary(String output, long rowsRead, long rowsSkipped, Map<String, Long> unseenCategories) {
    public long rowsWritten() {
      return rowsRead - rowsSkipped;
    }
  }

  public static Summary run(
      SparkSession spark, TrainedModel model, String data, String output, Keep keep, boolean overwrite, ScoringConfig config) {
    try (OutputDirectory out =
        OutputDirectory.claim(
            output,
            overwrite,
            spark.sparkContext().hadoopConfiguration(),
            spark.sparkContext().applicationId(),
            "--output",
            "use --overwrite to replace it",
            Duration.ofSeconds(OutputConfig.DEFAULT_LEASE_TIMEOUT_SECONDS))) {
      return predict(spark, model, data, out, keep, config);
    } catch (Exception e) {
      throw ReadFailures.explain(e, Map.of("--data", data));
    }
  }

  private static Summary predict(SparkSession spark, TrainedModel model, String data, OutputDirectory out, Keep keep, ScoringConfig config) {
    Dataset<Row> table = TableReader.read(spark, data, "--data");
    List<String> available = Arrays.asList(table.columns());
    List<String> kept = keep.all() ? available : keep.columns();
    for (String column : kept) {
      InvalidInputException.check(
          available.contains(column), "--keep column '%s' not found in --data %s; its columns are %s", column, data, available);
    }
    List<String> read = new ArrayList<>(kept);
    model.featureSpec().columnNames().stream().filter(c -> !read.contains(c)).forEach(read::add);
    return TableReader.withReadBatches(table, read, () -> predictRows(model, data, table, kept, out, config));
  }

  private static Summary predictRows(
      TrainedModel model, String data, Dataset<Row> table, List<String> kept, OutputDirectory out, ScoringConfig config) {
    ScoringTable scoring = ScoringTable.of(table, model.inputs(), false, data);
    ScoringTable.RowCheck check = scoring.checkFeatures(config.dropInvalid());
    List<Column> columns = new ArrayList<>();
    kept.forEach(c -> columns.add(functions.col("`" + c.replace("`", "``") + "`")));
    columns.add(scoring.features().as(ScoringTable.FEATURES));
    Dataset<Row> input = table.select(columns.toArray(Column[]::new));
    if (check.invalid() > 0) {
      LOG.warn(
          "Skipping {} of {} rows of {} whose features the model cannot take (data.drop-invalid = true)",
          check.invalid(), check.rows(), data);
      input = input.filter(ScoringTable.validFeatures(functions.col(ScoringTable.FEATURES), model.featureSpec()));
    }
    Dataset<Row> scored = Scoring.score(input, model, PREDICTION, PROBABILITY, config.batchSize());
    out.write(
        staged -> {
          scored.write().parquet(staged.staging().toString());
          // Beside the Parquet files (readers skip names starting with '_'): which model made these predictions.
          if (model.provenance().isPresent()) {
            try (OutputStream file = staged.create(MODEL_PROVENANCE_FILE)) {
              JSON.writeValue(file, model.provenance().get());
            }
          }
        });
    LOG.info("Wrote {} predictions to {}", check.rows() - check.invalid(), out.location());
    check.unseenCategories().forEach(
        (column, count) -> {
          if (count > 0) {
            LOG.info("Column '{}': {} rows with a value outside the model's vocabulary (scored as \"other\")", column, count);
          }
        });
    return new Summary(out.location(), check.rows(), check.invalid(), check.unseenCategories());
  }
}
