package io.sparkfit.run;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.testing.ExampleConfigs;
import io.sparkfit.testing.Repo;
import io.sparkfit.testing.SharedSparkSession;
import io.sparkfit.testing.SparkAccumulators;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole train run on DL4J's Spark engine, in the spark-3.5 build that has it. */
@SparkTied
class Dl4jEngineRunTest extends SharedSparkSession {
  @TempDir Path tmp;

  private LoadedConfig orders(Path out, String... overrides) {
    String[] all = new String[overrides.length + 1];
    all[0] = "data.validation=" + Repo.dataSamples().resolve("orders/test");
    System.arraycopy(overrides, 0, all, 1, overrides.length);
    return ExampleConfigs.load("orders.conf", Repo.dataSamples().resolve("orders/train").toString(), out, all);
  }

  @Test
  void dl4jsEngineCarriesTheLossInAnAccumulator() throws Exception {
    Path out = tmp.resolve("out");
    LoadedConfig config =
        ExampleConfigs.load(
            "quickstart.conf", Repo.dataSamples().resolve("customers").toString(), out, "training.engine=dl4j", "metrics.mode=fast", "training.epochs=1");
    var used = SparkAccumulators.updatedDuring(spark, () -> TrainingRun.run(spark, config));
    assertThat(used).containsExactly("sparkfit.loss");
    assertThat(new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).at("/final/train/count").asLong()).isPositive();
  }

  @Test
  void aGraphIsRefusedByNameWithNothingWritten() {
    Path out = tmp.resolve("bad-engine");
    LoadedConfig config = orders(out, "training.engine=dl4j");
    assertThatThrownBy(() -> TrainingRun.run(spark, config))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Invalid training.engine: dl4j (DL4J's Spark engine trains MultiLayerNetworks only");
    assertThat(Files.exists(out)).as("nothing written to " + out).isFalse();
  }
}
