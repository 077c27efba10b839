package io.sparkfit.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SampleTables;
import io.sparkfit.testing.SharedSparkSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The files in {@code data-samples/} are exactly what the seeded generators make. Run with
 * {@code -Dsparkfit.samples.write=true} to (re)write them.
 */
class DataSamplesTest extends SharedSparkSession {

  @Test
  void dataSamplesMatchTheirGenerators() throws IOException {
    boolean write = Boolean.getBoolean("sparkfit.samples.write");
    for (Map.Entry<String, Dataset<Row>> sample : SampleTables.dataSamples(spark).entrySet()) {
      Path dir = Repo.dataSamples().resolve(sample.getKey());
      if (write) {
        sample.getValue().coalesce(1).write().mode("overwrite").parquet(dir.toString());
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) {
            Files.delete(f);
          }
        }
      }
      Dataset<Row> stored = spark.read().parquet(dir.toString());
      assertThat(stored.schema()).as(sample.getKey()).isEqualTo(sample.getValue().schema());
      List<Row> expected = sample.getValue().orderBy("id").collectAsList();
      List<Row> actual = stored.orderBy("id").collectAsList();
      assertThat(actual).as(sample.getKey()).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertThat(actual.get(i).toString()).as(sample.getKey() + " row " + i).isEqualTo(expected.get(i).toString());
      }
    }
  }
}
