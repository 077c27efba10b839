package io.sparkfit.config;

import io.sparkfit.testing.SparkTied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
import io.sparkfit.train.Dl4jEngine;
import io.sparkfit.testing.Repo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Spark 4 build has no DL4J Spark module (it exists for Scala 2.12 only): a config that asks for
 * its engine is refused while loading, before Spark starts, in one line that names the build that has it.
 */
@SparkTied
class Dl4jEngineRefusedTest {
  @Test
  void theEngineIsNotInThisBuild() {
    assertThat(TrainingConfig.Engine.DL4J.inThisBuild()).isFalse();
    assertThat(Dl4jEngine.inThisBuild()).isEmpty();
  }

  @Test
  void aConfigThatAsksForItIsRefusedNamingTheSpark35Build() {
    assertThatThrownBy(() -> ConfigLoader.load(Repo.conf("quickstart.conf"), List.of("training.engine=dl4j")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(TrainingConfig.Engine.DL4J_NOT_IN_THIS_BUILD)
        .hasMessageContaining("spark-3.5")
        .hasMessageNotContaining("\n");
  }
}
