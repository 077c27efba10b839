package io.sparkfit.testing;

import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Task;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.model.NetworkFactory;
import java.util.Optional;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Layer stacks over {@code n} plain numeric inputs, built by the product's own factory, for tests
 * and benchmarks that feed a network hand-made minibatches rather than a table's rows.
 */
public final class Perceptrons {

  private Perceptrons() {}

  /** {@code n} numeric columns x0..x(n-1), none imputed: one network input each. */
  public static FeatureSpec numericColumns(int n) {
    return new FeatureSpec(IntStream.range(0, n).<InputColumn>mapToObj(i -> new InputColumn.Numeric("x" + i, null, false)).toList());
  }

  public static MultiLayerNetwork create(ModelConfig model, Task task, int inputs, int outputs) {
    return create(model, task, inputs, outputs, Optional.empty());
  }

  public static MultiLayerNetwork create(ModelConfig model, Task task, int inputs, int outputs, Optional<double[]> classWeights) {
    return NetworkFactory.create(model, task, numericColumns(inputs), outputs, classWeights)
        .asMultiLayer()
        .orElseThrow(() -> new IllegalArgumentException("Not a layer stack: " + model));
  }

  public static MultiLayerConfiguration configuration(ModelConfig model, Task task, int inputs, int outputs) {
    return create(model, task, inputs, outputs).getLayerWiseConfigurations();
  }
}
