package io.sparkfit.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@link Network#multiplyAddsPerExample}: the work training.workers = auto weighs, from shapes alone. */
class NetworkWorkTest {

  private static org.nd4j.linalg.dataset.api.MultiDataSet batchOf(long... shape) {
    return new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.rand(shape), Nd4j.zeros(shape[0], 2));
  }

  @Test
  void aDenseLayerDoesOneMultiplyAddPerParameter() {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2).activation(Activation.SOFTMAX).build())
            .build();
    MultiLayerNetwork stack = new MultiLayerNetwork(conf);
    stack.init();
    // (4 x 3 + 3) + (3 x 2 + 2): every parameter once, whatever the minibatch's size.
    assertThat(Network.of(stack).multiplyAddsPerExample(batchOf(5, 4))).isEqualTo(23);
    assertThat(Network.of(stack).multiplyAddsPerExample(batchOf(1, 4))).isEqualTo(23);
  }

  @Test
  void aConvolutionAppliesItsKernelsAtEveryOutputPosition() {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .list()
            .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build())
            .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
            .setInputType(InputType.convolutional(6, 6, 1))
            .build();
    MultiLayerNetwork stack = new MultiLayerNetwork(conf);
    stack.init();
    // Convolution: (3 x 3 x 1 + 1) x 2 = 20 parameters at 4 x 4 positions; pooling: none; output:
    // 2 x 2 x 2 = 8 inputs x 2 + 2 = 18.
    assertThat(Network.of(stack).multiplyAddsPerExample(batchOf(3, 1, 6, 6))).isEqualTo(20 * 16 + 18);
  }

  @Test
  void aGraphCountsEachLayerVertex() {
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .graphBuilder()
            .addInputs("in")
            .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build(), "in")
            .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2).activation(Activation.SOFTMAX).build(), "hidden")
            .setOutputs("out")
            .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    assertThat(Network.of(graph).multiplyAddsPerExample(batchOf(5, 4))).isEqualTo(23);
  }
}
