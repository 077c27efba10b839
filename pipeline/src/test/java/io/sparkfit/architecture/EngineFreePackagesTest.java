package io.sparkfit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The configuration, the metric algebra and the input description that {@code model.zip} stores
 * depend on neither Spark (nor Scala) nor DL4J (nor ND4J), as the JDK's {@code jdeps} reads the
 * compiled classes: they can be read, tested and reused without an engine. And the model files do
 * not depend on the package that reads tables.
 */
class EngineFreePackagesTest {
  private static final Set<String> ENGINE_FREE = Set.of("io.sparkfit.config", "io.sparkfit.metrics", "io.sparkfit.inputs");
  private static final String[] ENGINES = {"org.apache.spark", "scala", "org.deeplearning4j", "org.nd4j"};

  @Test
  void configMetricsAndTheInputDescriptionImportNoEngine() {
    Map<String, Set<String>> edges = Jdeps.packageEdges(Jdeps.classesDir());
    // jdeps sees engine packages where they are used, or this test could not fail.
    assertThat(edges.get("io.sparkfit.data")).as("jdeps found Spark in io.sparkfit.data").anyMatch(p -> p.startsWith("org.apache.spark"));
    assertThat(edges.get("io.sparkfit.nd4j")).as("jdeps found ND4J in io.sparkfit.nd4j").anyMatch(p -> p.startsWith("org.nd4j"));
    for (String pkg : ENGINE_FREE) {
      assertThat(edges).as("jdeps read %s", pkg).containsKey(pkg);
      assertThat(edges.get(pkg)).as("what %s depends on", pkg).noneMatch(EngineFreePackagesTest::isEngine);
    }
    assertThat(edges.get("io.sparkfit.model")).as("model.zip's reader reads no tables").doesNotContain("io.sparkfit.data");
  }

  private static boolean isEngine(String pkg) {
    for (String engine : ENGINES) {
      if (pkg.equals(engine) || pkg.startsWith(engine + ".")) {
        return true;
      }
    }
    return false;
  }
}
