package io.sparkfit.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.config.ConfigLoader;
import io.sparkfit.score.Prediction;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code model.zip} files of every earlier format (2 to 5), written by the code of their time
 * ({@code src/test/resources/model-formats}), still load and predict what they predicted then (to float rounding across CPUs).
 */
class ModelFormatsTest extends SharedSparkSession {
  private static final Path FIXTURES = Path.of("src/test/resources/model-formats").toAbsolutePath();
  @TempDir Path tmp;

  static Stream<String> fixtures() throws IOException {
    try (Stream<Path> dirs = Files.list(FIXTURES)) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void anEarlierFormatLoadsAndPredictsAsItDidThen(String fixture) throws IOException {
    Path dir = FIXTURES.resolve(fixture);
    List<String> writtenBy = Files.readAllLines(dir.resolve("written-by.txt"));
    String data = Repo.root().resolve(writtenBy.get(0)).toString();
    TrainedModel model = ModelFiles.load(dir.resolve("model").toString(), new Configuration(), "--model");
    int format = Integer.parseInt(fixture.substring("format".length(), fixture.indexOf('-')));
    assertThat(ModelArchive.FORMAT_VERSION).isGreaterThan(format);

    Dataset<Row> then = spark.read().parquet(dir.resolve("predictions").toString());
    Prediction.run(
        spark, model, data, tmp.resolve("now").toString(), new Prediction.Keep(List.of(), true), false,
        ConfigLoader.loadScoring(List.of(), model.task(), model.dropInvalid()));
    Dataset<Row> now = spark.read().parquet(tmp.resolve("now").toString());
    Column[] columns = java.util.Arrays.stream(then.columns()).map(functions::col).toArray(Column[]::new);
    assertThat(List.of(now.columns())).containsAll(List.of(then.columns()));
    assertThat(then.count()).isPositive();
    assertThat(then.columns()).contains("prediction");
    Dataset<Row> current = now.select(columns);
    assertThat(current.count()).isEqualTo(then.count());
    // The same inputs, row for row; the outputs to float rounding: ND4J's kernels differ by CPU (the
    // fixtures were written on another machine), so the last bits of a probability can too.
    List<String> inputs = java.util.Arrays.stream(then.columns()).filter(c -> !OUTPUTS.contains(c)).toList();
    List<Row> a = sorted(then, inputs);
    List<Row> b = sorted(current, inputs);
    for (int i = 0; i < a.size(); i++) {
      for (String column : then.columns()) {
        int at = a.get(i).fieldIndex(column);
        Object was = a.get(i).get(at);
        Object is = b.get(i).get(b.get(i).fieldIndex(column));
        if (OUTPUTS.contains(column)) {
          assertThat(numbers(is)).as("%s of row %d", column, i).containsExactly(numbers(was), org.assertj.core.api.Assertions.within(1e-5));
        } else {
          assertThat(String.valueOf(is)).as("%s of row %d", column, i).isEqualTo(String.valueOf(was));
        }
      }
    }
  }

  private static final List<String> OUTPUTS = List.of("prediction", "probability");

  /** The rows ordered by their input columns' values as text. */
  private static List<Row> sorted(Dataset<Row> rows, List<String> inputs) {
    List<Row> out = new java.util.ArrayList<>(rows.collectAsList());
    out.sort(java.util.Comparator.comparing(r -> inputs.stream().map(c -> String.valueOf(r.get(r.fieldIndex(c)))).toList().toString()));
    return out;
  }

  /** A prediction (a class label as text is compared as one value) or a probability vector as numbers. */
  private static double[] numbers(Object value) {
    if (value instanceof Number n) {
      return new double[] {n.doubleValue()};
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      return scala.collection.JavaConverters.seqAsJavaList(seq).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }
    return new double[] {String.valueOf(value).hashCode()};
  }
}
