package io.sparkfit.jobs;

import io.sparkfit.testing.SparkTied;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the {@link BadInputs} catalogue, in-process: {@code Sparkfit.run} as {@code main}
 * calls it, with stdout and stderr captured. Nothing but the one error line may reach them: Sparkfit's
 * log goes to the test's own console, so a line here is something a library printed itself.
 * {@link BadInputsIT} runs one case of each kind again through {@code bin/sparkfit}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputsTest {
  @TempDir static Path work;
  private BadInputs inputs;
  private String uiEnabled;

  /** The command in this JVM, as {@code main} runs it, with what it prints captured. */
  private static SparkfitCli.Result inProcess(String name, List<String> args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = Sparkfit.run(new Sparkfit(), args.toArray(String[]::new));
      return new SparkfitCli.Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  @BeforeAll
  void fixtures() throws Exception {
    // One session after another in this JVM: no web UI for each (SparkConf reads spark.* properties).
    uiEnabled = System.setProperty("spark.ui.enabled", "false");
    // Logging starts here, on the test's console: its appenders hold the real System.err, so the
    // streams captured per case get only what something printed itself.
    org.slf4j.LoggerFactory.getLogger(BadInputsTest.class).info("bad inputs under {}", work);
    inputs = new BadInputs(work, BadInputsTest::inProcess);
  }

  @AfterAll
  void restoreUi() {
    if (uiEnabled == null) {
      System.clearProperty("spark.ui.enabled");
    } else {
      System.setProperty("spark.ui.enabled", uiEnabled);
    }
  }

  Stream<BadInputs.Case> refusedBeforeSpark() {
    return inputs.refusedBeforeSpark();
  }

  Stream<BadInputs.Case> refusedOnceSparkRuns() {
    return inputs.refusedOnceSparkRuns();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedBeforeSpark")
  void refusedBeforeSparkInOneLineWithNothingTouched(BadInputs.Case c) throws Exception {
    inputs.assertRefusedInOneLineWithNothingTouched(c, BadInputsTest::inProcess);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedOnceSparkRuns")
  @SparkTied
  void refusedOnceSparkRunsInOneLineWithNothingTouched(BadInputs.Case c) throws Exception {
    inputs.assertRefusedInOneLineWithNothingTouched(c, BadInputsTest::inProcess);
  }
}
