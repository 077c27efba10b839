package io.sparkfit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.config.Task;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class EvaluatorTest {

  @Test
  void classificationLossIsMeanCrossEntropyAndAccuracyCountsArgmaxHits() {
    var p = Nd4j.create(new float[][] {{0.7f, 0.2f, 0.1f}, {0.1f, 0.1f, 0.8f}, {0.5f, 0.4f, 0.1f}});
    var y = Nd4j.create(new float[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}});
    MetricSet m = new Evaluator(Task.CLASSIFICATION, 0, 1).evaluate(p, y);
    double expectedLoss = -(Math.log(0.7f) + Math.log(0.8f) + Math.log(0.4f)) / 3;
    assertThat((Double) m.results().get("loss")).isCloseTo(expectedLoss, within(1e-6));
    assertThat((Double) m.results().get("accuracy")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.results().get("count")).isEqualTo(3L);
  }

  @Test
  void regressionErrorsAreInTheTargetsOwnUnits() {
    // Network outputs in standardised units; the target has mean 100 and scale 10.
    var p = Nd4j.create(new float[][] {{0.5f}, {-1f}, {0f}, {2f}});
    var y = Nd4j.create(new float[][] {{0f}, {-1f}, {1f}, {1f}});
    MetricSet m = new Evaluator(Task.REGRESSION, 100, 10).evaluate(p, y);
    // Errors in target units: 5, 0, -10, 10.
    assertThat((Double) m.results().get("mse")).isCloseTo((25 + 0 + 100 + 100) / 4.0, within(1e-9));
    assertThat((Double) m.results().get("loss")).isCloseTo((25 + 0 + 100 + 100) / 4.0, within(1e-9));
    assertThat((Double) m.results().get("mae")).isCloseTo(25 / 4.0, within(1e-9));
    double meanY = (100 + 90 + 110 + 110) / 4.0;
    double ssTot = Math.pow(100 - meanY, 2) + Math.pow(90 - meanY, 2) + 2 * Math.pow(110 - meanY, 2);
    assertThat((Double) m.results().get("r2")).isCloseTo(1 - 225 / ssTot, within(1e-9));
  }

  @Test
  void statesMergeIntoTheStateOfAllExamples() {
    Evaluator e = new Evaluator(Task.CLASSIFICATION, 0, 1);
    var p = Nd4j.create(new float[][] {{0.9f, 0.1f}, {0.3f, 0.7f}, {0.6f, 0.4f}, {0.2f, 0.8f}});
    var y = Nd4j.create(new float[][] {{1, 0}, {0, 1}, {0, 1}, {0, 1}});
    MetricSet whole = e.evaluate(p, y);
    MetricSet parts =
        e.evaluate(p.getRows(0, 1), y.getRows(0, 1)).merge(e.evaluate(p.getRows(2, 3), y.getRows(2, 3)));
    assertThat((Double) parts.results().get("loss")).isCloseTo((Double) whole.results().get("loss"), within(1e-12));
    assertThat(parts.results().get("accuracy")).isEqualTo(whole.results().get("accuracy"));
    assertThat(parts.count()).isEqualTo(4);
  }
}
