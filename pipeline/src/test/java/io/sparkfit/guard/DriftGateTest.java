package io.sparkfit.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.GateException;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.data.TrainingData;
import io.sparkfit.inputs.DriftReference;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.run.TrainingRun;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.SparkJobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift gate: generated data with planted shifts fails it naming exactly the shifted columns;
 * the same distribution passes; its statistics equal a direct computation, do not depend on the
 * partitioning, and cost no Spark job.
 */
class DriftGateTest extends SharedSparkSession {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROWS = 3000;
  @TempDir Path tmp;

  /** How the generated table differs from the reference's. */
  private record Shift(double xMean, double newColorShare, boolean dropExtra, double churnShare, boolean skewLevels) {
    static final Shift NONE = new Shift(50, 0, false, 0.3, false);
  }

  /**
   * x ~ N(xMean, 10); level uniform on 1..80 (whole numbers, so every value has a sketch bucket of its
   * own) or skewed toward low values; color among red, green, blue (and purple for a share of rows);
   * extra, a column no feature reads; churn yes with the given share.
   */
  private Dataset<Row> table(long seed, Shift shift) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    String[] colors = {"red", "green", "blue"};
    for (int i = 0; i < ROWS; i++) {
      double x = shift.xMean() + 10 * random.nextGaussian();
      int level = shift.skewLevels() ? 1 + (int) (80 * Math.pow(random.nextDouble(), 2)) : 1 + random.nextInt(80);
      String color = random.nextDouble() < shift.newColorShare() ? "purple" : colors[random.nextInt(3)];
      String churn = random.nextDouble() < shift.churnShare() ? "yes" : "no";
      double extra = random.nextDouble();
      rows.add(shift.dropExtra() ? RowFactory.create(x, level, color, churn) : RowFactory.create(x, level, color, extra, churn));
    }
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("x", DataTypes.DoubleType, false));
    fields.add(DataTypes.createStructField("level", DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField("color", DataTypes.StringType, false));
    if (!shift.dropExtra()) {
      fields.add(DataTypes.createStructField("extra", DataTypes.DoubleType, false));
    }
    fields.add(DataTypes.createStructField("churn", DataTypes.StringType, false));
    return spark.createDataFrame(rows, DataTypes.createStructType(fields));
  }

  private String written(String name, Dataset<Row> table) {
    String path = tmp.resolve(name).toString();
    table.write().parquet(path);
    return path;
  }

  private LoadedConfig config(String train, String out, String... overrides) {
    List<String> all = new ArrayList<>(List.of("data.train=" + train, "output.dir=" + tmp.resolve(out)));
    all.addAll(List.of(overrides));
    return ConfigLoader.parse(
        """
        data { features = [x, level, color], label = churn }
        model.layers = [{ type = dense, units = 8, activation = relu }]
        training { epochs = 1, workers = 1, early-stopping.metric = none }
        """,
        all);
  }

  private String reference() {
    String out = tmp.resolve("reference").toString();
    if (!Files.exists(Path.of(out, "model.zip"))) {
      TrainingRun.run(spark, config(written("reference-data", table(1, Shift.NONE)), "reference"));
    }
    return out;
  }

  @Test
  void plantedShiftsFailTheGateNamingExactlyTheShiftedColumns() throws IOException {
    String reference = reference();
    String shifted = written("shifted", table(2, new Shift(65, 0.2, true, 0.6, false)));

    assertThatThrownBy(
            () -> TrainingRun.run(spark, config(shifted, "model", "guard.drift.reference=" + reference, "guard.drift.on-violation=fail")))
        .isInstanceOfSatisfying(
            GateException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(4);
              List<String> lines = e.getMessage().lines().skip(1).toList();
              assertThat(lines.stream().map(l -> l.substring(l.indexOf('\'') + 1, l.indexOf('\'', l.indexOf('\'') + 1))))
                  .containsExactlyInAnyOrder("x", "color", "extra", "churn");
            });
    assertThat(tmp.resolve("model")).as("nothing trained, nothing written").doesNotExist();
    JsonNode table = JSON.readTree(tmp.resolve("model.drift.json").toFile());
    List<String> drifted = new ArrayList<>();
    table.get("columns").forEach(c -> {
      if (c.get("violations").size() > 0) {
        drifted.add(c.get("column").asText() + ":" + c.get("status").asText());
      }
    });
    assertThat(drifted).containsExactlyInAnyOrder("x:drift", "color:drift", "extra:missing", "churn:drift");
  }

  @Test
  void theSameDistributionPassesAndTheCheckCostsNoSparkJob() throws IOException {
    String reference = reference();
    String fresh = written("fresh", table(3, Shift.NONE));
    int checked = SparkJobs.during(spark, () -> TrainingRun.run(spark, config(fresh, "checked", "guard.drift.reference=" + reference, "guard.drift.on-violation=fail")));
    int unchecked = SparkJobs.during(spark, () -> TrainingRun.run(spark, config(fresh, "unchecked", "guard.drift.reference=none")));

    JsonNode table = JSON.readTree(tmp.resolve("checked/drift.json").toFile());
    table.get("columns").forEach(c -> assertThat(c.get("violations")).as(c.toString()).isEmpty());
    assertThat(table.get("columns").findValuesAsText("column")).contains("x", "level", "color", "extra", "churn");
    assertThat(Files.readString(tmp.resolve("checked/report.html"))).contains("Drift against the reference");
    assertThat(tmp.resolve("unchecked/drift.json")).doesNotExist();
    assertThat(checked).as("Spark jobs with the drift check, and without").isEqualTo(unchecked).isPositive();
  }

  @Test
  void aFeatureColumnGoneStopsTheGateBeforeProfiling() {
    String reference = reference();
    String noColor = written("no-color", table(7, Shift.NONE).drop("color"));
    assertThatThrownBy(
            () -> TrainingRun.run(spark, config(noColor, "no-color-model", "guard.drift.reference=" + reference, "guard.drift.on-violation=fail")))
        .isInstanceOfSatisfying(GateException.class, e -> assertThat(e.exitCode()).isEqualTo(4))
        .hasMessageContaining("column 'color' (categorical): missing from the new data")
        .hasMessageNotContaining("column 'x'");
    assertThat(tmp.resolve("no-color-model.drift.json")).exists();
  }

  @Test
  void warnTrainsAndRecordsTheDrift() throws IOException {
    String reference = reference();
    String shifted = written("shifted-warn", table(4, new Shift(65, 0, false, 0.3, false)));
    TrainingRun.run(spark, config(shifted, "warned", "guard.drift.reference=" + reference));
    JsonNode table = JSON.readTree(tmp.resolve("warned/drift.json").toFile());
    assertThat(table.get("on-violation").asText()).isEqualTo("warn");
    List<String> drifted = new ArrayList<>();
    table.get("columns").forEach(c -> {
      if (c.get("violations").size() > 0) {
        drifted.add(c.get("column").asText());
      }
    });
    assertThat(drifted).containsExactly("x");
  }

  @Test
  void psiAndKsEqualADirectComputationAndDoNotDependOnThePartitioning() {
    Dataset<Row> referenceRows = table(5, Shift.NONE);
    Dataset<Row> newRows = table(6, new Shift(50, 0.1, false, 0.3, true));
    LoadedConfig config = config("unused", "unused");
    DriftReference was = profile(referenceRows, 3, config);
    List<DriftReference> now = new ArrayList<>();
    for (int partitions : new int[] {1, 2, 7}) {
      now.add(profile(newRows, partitions, config));
    }
    assertThat(now.get(1)).isEqualTo(now.get(0));
    assertThat(now.get(2)).isEqualTo(now.get(0));
    List<DriftTable> tables = now.stream().map(n -> DriftCheck.compare(was, "reference", n, config.config().guard().drift())).toList();
    assertThat(tables.get(1)).isEqualTo(tables.get(0));
    assertThat(tables.get(2)).isEqualTo(tables.get(0));

    DriftTable.ColumnDrift level = tables.get(0).columns().stream().filter(c -> c.column().equals("level")).findFirst().orElseThrow();
    double[] a = values(referenceRows, "level");
    double[] b = values(newRows, "level");
    List<Double> edges = was.columns().stream().filter(c -> c.column().equals("level")).findFirst().orElseThrow().bins().edges();
    assertThat(edges).hasSizeBetween(8, 10);
    assertThat(level.psi()).isCloseTo(directPsi(a, b, edges), within(1e-12)).isGreaterThan(0.05);
    assertThat(level.ks()).isCloseTo(directKs(a, b), within(1e-12)).isGreaterThan(0.05);

    DriftTable.ColumnDrift color = tables.get(0).columns().stream().filter(c -> c.column().equals("color")).findFirst().orElseThrow();
    String[] ca = strings(referenceRows, "color");
    String[] cb = strings(newRows, "color");
    List<String> vocabulary = Arrays.stream(ca).distinct().sorted().toList();
    assertThat(color.psi()).isCloseTo(directCategoricalPsi(ca, cb, vocabulary), within(1e-12));
    assertThat(color.unseenShare()).isCloseTo(Arrays.stream(cb).filter(v -> !vocabulary.contains(v)).count() / (double) cb.length, within(1e-15));
  }

  private DriftReference profile(Dataset<Row> rows, int partitions, LoadedConfig config) {
    TrainingData data = TrainingData.from(rows.repartition(partitions), Optional.empty(), config.config().data(), 42);
    try {
      return data.driftReference();
    } finally {
      data.release();
    }
  }

  private static double[] values(Dataset<Row> rows, String column) {
    return rows.select(column).collectAsList().stream().mapToDouble(r -> ((Number) r.get(0)).doubleValue()).toArray();
  }

  private static String[] strings(Dataset<Row> rows, String column) {
    return rows.select(column).collectAsList().stream().map(r -> r.getString(0)).toArray(String[]::new);
  }

  /** PSI over the edges: bin i holds the values above edge i-1 up to edge i, the last bin everything above. */
  private static double directPsi(double[] reference, double[] current, List<Double> edges) {
    return psi(binShares(reference, edges), binShares(current, edges));
  }

  private static double[] binShares(double[] values, List<Double> edges) {
    double[] shares = new double[edges.size()];
    for (double v : values) {
      int bin = 0;
      while (bin < edges.size() - 1 && v > edges.get(bin)) {
        bin++;
      }
      shares[bin] += 1.0 / values.length;
    }
    return shares;
  }

  private static double psi(double[] q, double[] p) {
    double psi = 0;
    for (int i = 0; i < q.length; i++) {
      double qi = Math.max(q[i], DriftCheck.SHARE_FLOOR);
      double pi = Math.max(p[i], DriftCheck.SHARE_FLOOR);
      psi += (pi - qi) * Math.log(pi / qi);
    }
    return psi;
  }

  private static double directCategoricalPsi(String[] reference, String[] current, List<String> vocabulary) {
    return psi(categoryShares(reference, vocabulary), categoryShares(current, vocabulary));
  }

  private static double[] categoryShares(String[] values, List<String> vocabulary) {
    double[] shares = new double[vocabulary.size() + 1];
    for (String v : values) {
      int i = vocabulary.indexOf(v);
      shares[i < 0 ? vocabulary.size() : i] += 1.0 / values.length;
    }
    return shares;
  }

  /** The two-sample Kolmogorov–Smirnov distance, from the sorted samples. */
  private static double directKs(double[] a, double[] b) {
    double[] x = a.clone();
    double[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < x.length && j < y.length) {
      double v = Math.min(x[i], y[j]);
      while (i < x.length && x[i] == v) {
        i++;
      }
      while (j < y.length && y[j] == v) {
        j++;
      }
      d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
    }
    return d;
  }
}
