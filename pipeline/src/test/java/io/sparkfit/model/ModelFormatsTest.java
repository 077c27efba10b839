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
 * ({@code src/test/resources/model-formats}), still load and predict exactly what they predicted then.
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
    assertThat(current.except(then).count()).as("rows predicted now but not then").isZero();
    assertThat(then.except(current).count()).as("rows predicted then but not now").isZero();
  }
}
