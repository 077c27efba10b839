package io.sparkfit.jobs;

import io.sparkfit.testing.SparkTied;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad inputs through {@code bin/sparkfit} exactly as a user runs them, one JVM each: the console
 * gets the one error line and Sparkfit's own log, nothing of Spark's, Hadoop's or DL4J's (their
 * warnings and stack traces go to the run's log file). One case of each kind of failure from the
 * {@link BadInputs} catalogue, which {@link BadInputsTest} runs in full in-process.
 *
 * <p>Inputs refused before Spark starts are refused alike whatever the Spark version; those refused
 * once Spark runs or reads the data are tested on both builds ({@link SparkTied}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputsIT {
  @TempDir static Path work;
  @TempDir static Path runs;
  private final BadInputs.Runner binSparkfit = (name, args) -> SparkfitCli.run(runs, name, args);
  private BadInputs inputs;

  @BeforeAll
  void fixtures() throws Exception {
    inputs = new BadInputs(work, binSparkfit);
  }

  Stream<BadInputs.Case> refusedBeforeSpark() {
    return inputs.refusedBeforeSpark().filter(BadInputs.Case::throughBinSparkfit);
  }

  Stream<BadInputs.Case> refusedOnceSparkRuns() {
    return inputs.refusedOnceSparkRuns().filter(BadInputs.Case::throughBinSparkfit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedBeforeSpark")
  void refusedBeforeSparkInOneLineWithNothingTouched(BadInputs.Case c) throws Exception {
    inputs.assertRefusedInOneLineWithNothingTouched(c, binSparkfit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedOnceSparkRuns")
  @SparkTied
  void refusedOnceSparkRunsInOneLineWithNothingTouched(BadInputs.Case c) throws Exception {
    inputs.assertRefusedInOneLineWithNothingTouched(c, binSparkfit);
  }
}
