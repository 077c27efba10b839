package io.sparkfit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Task;
import io.sparkfit.config.UpdaterSpec;
import io.sparkfit.testing.Perceptrons;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A weight of k must weigh a row's loss as k copies of the row do: the same summed loss and the same
 * summed gradient. DL4J's output layer fails this (it scales the row's logits by the weight); the
 * network {@link LossLayerOutput} makes passes it (fitted with {@link LossLayerOutput#fitMask}), and computes the same function of the same parameters.
 */
class LossLayerOutputTest {
  private static final ModelConfig MODEL =
      new ModelConfig(List.of(new LayerSpec.Dense(6, "tanh")), new UpdaterSpec(UpdaterSpec.Type.ADAM, 0.01, 0.9, 0.999), 0.0, 5);
  private static final int[] WEIGHTS = {2, 1, 0, 3, 1, 2};
  private static final int INPUTS = 3;

  /**
   * The summed loss (DL4J's score is the mean: times the rows) and the summed gradient of a minibatch
   * (DL4J's gradient is the sum: its updater divides by the minibatch's rows).
   */
  private record Sums(double loss, INDArray gradient) {}

  @Test
  void aWeightIsAsManyCopiesOfTheRowForClassesAndForATarget() {
    for (Task task : Task.values()) {
      int outputs = task == Task.CLASSIFICATION ? 3 : 1;
      Network original = Network.of(Perceptrons.create(MODEL, task, INPUTS, outputs));
      Network converted = LossLayerOutput.of(original);
      assertThat(LossLayerOutput.endsInLossLayer(converted)).isTrue();
      assertThat(converted.layerCount()).isEqualTo(original.layerCount() + 1);
      assertThat(converted.params()).isEqualTo(original.params());
      checkWeighting(task, original, converted, outputs);
    }
  }

  @Test
  void aGraphsOutputConvertsTheSameWay() {
    ComputationGraph graph =
        new ComputationGraph(
            new NeuralNetConfiguration.Builder()
                .seed(3)
                .updater(new Adam(0.01))
                .graphBuilder()
                .addInputs("features")
                .setInputTypes(InputType.feedForward(INPUTS))
                .addLayer("hidden", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "features")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("output")
                .build());
    graph.init();
    Network original = Network.of(graph);
    Network converted = LossLayerOutput.of(original);
    assertThat(converted.outputLayer().conf().getLayer()).isInstanceOf(LossLayer.class);
    assertThat(((ComputationGraph) converted.model()).getConfiguration().getNetworkOutputs()).containsExactly("output");
    checkWeighting(Task.CLASSIFICATION, original, converted, 3);
  }

  @Test
  void theConvertedNetworkReadsBackFromItsJsonWithItsParametersAndUpdater() {
    // As executors and model.zip read it: DL4J reads a layer without an updater by a legacy path that fails.
    for (Task task : Task.values()) {
      Network converted = LossLayerOutput.of(Network.of(Perceptrons.create(MODEL, task, INPUTS, task == Task.CLASSIFICATION ? 3 : 1)));
      Network read = Network.fromJson(converted.configurationJson(), converted.params().dup(), converted.updaterState().dup());
      assertThat(LossLayerOutput.endsInLossLayer(read)).as("%s", task).isTrue();
      assertThat(read.params()).isEqualTo(converted.params());
      assertThat(read.updaterState()).isEqualTo(converted.updaterState());
    }
  }

  @Test
  void convertingTwiceChangesNothing() {
    Network converted = LossLayerOutput.of(Network.of(Perceptrons.create(MODEL, Task.CLASSIFICATION, INPUTS, 3)));
    assertThat(LossLayerOutput.of(converted)).isSameAs(converted);
  }

  private static void checkWeighting(Task task, Network original, Network converted, int outputs) {
    Nd4j.getRandom().setSeed(11);
    int rows = WEIGHTS.length;
    INDArray x = Nd4j.randn(DataType.FLOAT, rows, INPUTS);
    INDArray y = Nd4j.zeros(DataType.FLOAT, rows, outputs);
    for (int i = 0; i < rows; i++) {
      if (task == Task.CLASSIFICATION) {
        y.putScalar(i, i % outputs, 1f);
      } else {
        y.putScalar(i, 0, (float) (i - 2.5));
      }
    }
    INDArray mask = Nd4j.create(new float[] {2, 1, 0, 3, 1, 2}, new long[] {rows, 1}, 'c');
    // The same rows, each as many times as its weight.
    List<Integer> copies = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < WEIGHTS[i]; k++) {
        copies.add(i);
      }
    }
    int[] repeated = copies.stream().mapToInt(Integer::intValue).toArray();
    INDArray xs = Nd4j.pullRows(x, 1, repeated);
    INDArray ys = Nd4j.pullRows(y, 1, repeated);

    // The loss is scored with the weights, the gradient taken with the mask a weighted fit uses.
    Sums weighted = sums(converted, x, y, mask);
    Sums fitted = sums(converted, x, y, LossLayerOutput.fitMask(mask, y));
    Sums copied = sums(converted, xs, ys, null);
    assertThat(weighted.loss()).as("%s: summed loss, weights vs copies", task).isCloseTo(copied.loss(), within(1e-5 * copied.loss()));
    assertThat(close(fitted.gradient(), copied.gradient())).as("%s: gradient, weights vs copies", task).isTrue();
    // A one-column output's loss applies the weights twice to the gradient: hence the fit mask.
    assertThat(close(weighted.gradient(), copied.gradient())).as("%s: gradient with the weights as the mask", task).isEqualTo(outputs > 1);
    assertThat(LossLayerOutput.masksTwice(y)).isEqualTo(outputs == 1);
    assertThat(LossLayerOutput.weightsOfFitMask(LossLayerOutput.fitMask(mask, y), y).toDoubleVector())
        .usingComparatorWithPrecision(1e-6)
        .containsExactly(mask.toDoubleVector());
    // And Network.fitLoss fits so and reports the weighted loss: its mean over the rows, times the rows.
    Network fitting =
        Network.fromJson(converted.configurationJson(), converted.params().dup(), converted.updaterState() == null ? null : converted.updaterState().dup());
    org.nd4j.linalg.dataset.MultiDataSet batch = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x}, new INDArray[] {y}, null, new INDArray[] {mask});
    assertThat(fitting.fitLoss(batch) * rows).as("%s: fitLoss's weighted loss", task).isCloseTo(copied.loss(), within(1e-5 * copied.loss()));
    // DL4J's output layer fails it: the weights scale its logits as well as its loss.
    Sums outputLayer = sums(original, x, y, mask);
    assertThat(Math.abs(outputLayer.loss() - copied.loss())).as("%s: the output layer's summed loss", task).isGreaterThan(1e-2 * copied.loss());
    // Without weights the two networks are one function of the same parameters.
    assertThat(sums(converted, xs, ys, null).loss()).isCloseTo(sums(original, xs, ys, null).loss(), within(1e-5 * copied.loss()));
    INDArray[] features = {x};
    assertThat(converted.output(features, null).ravel().toDoubleVector())
        .usingComparatorWithPrecision(1e-6)
        .containsExactly(original.output(features, null).ravel().toDoubleVector());
  }

  private static boolean close(INDArray actual, INDArray expected) {
    double[] a = actual.toDoubleVector();
    double[] b = expected.toDoubleVector();
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-4 * (1 + Math.abs(b[i]))) {
        return false;
      }
    }
    return true;
  }

  private static Sums sums(Network network, INDArray x, INDArray y, INDArray mask) {
    int rows = (int) x.size(0);
    if (network.model() instanceof MultiLayerNetwork stack) {
      stack.setInput(x);
      stack.setLabels(y);
      stack.setLayerMaskArrays(null, mask);
      stack.computeGradientAndScore();
      Sums sums = new Sums(stack.score() * rows, stack.gradient().gradient().dup());
      stack.clearLayerMaskArrays();
      return sums;
    }
    ComputationGraph graph = (ComputationGraph) network.model();
    graph.setInputs(x);
    graph.setLabels(y);
    graph.setLayerMaskArrays(null, mask == null ? null : new INDArray[] {mask});
    graph.computeGradientAndScore();
    Sums sums = new Sums(graph.score() * rows, graph.gradient().gradient().dup());
    graph.clearLayerMaskArrays();
    return sums;
  }
}
