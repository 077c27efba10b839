package io.sparkfit.testing;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Networks written with DL4J's own builders, as a user's team would, for {@code conf/networks/}. */
public final class ExampleNetworks {
  /** The merchant vocabulary of conf/graph.conf (max-categories = 300), plus its "other" and null inputs. */
  public static final int MERCHANT_INPUTS = 302;
  /** category one-hot (24 values, "other", null), amount and hour. */
  public static final int OTHER_INPUTS = 28;

  private ExampleNetworks() {}

  /**
   * {@code conf/networks/orders-graph.json}: two inputs named after what they take, the merchant into
   * an embedding and the other columns into a dense branch, merged, then a dense layer and softmax
   * over returned = false / true.
   */
  public static ComputationGraphConfiguration ordersGraph() {
    return new NeuralNetConfiguration.Builder()
        .seed(7)
        .updater(new Adam(0.005))
        .weightInit(WeightInit.XAVIER)
        .graphBuilder()
        .addInputs("merchant", "features")
        // DL4J sets an embedding's nIn from its input type: the index takes MERCHANT_INPUTS values.
        .setInputTypes(InputType.feedForward(MERCHANT_INPUTS), InputType.feedForward(OTHER_INPUTS))
        .addLayer("merchant-embedding", new EmbeddingLayer.Builder().nIn(MERCHANT_INPUTS).nOut(8).activation(Activation.IDENTITY).build(), "merchant")
        .addLayer("feature-dense", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "features")
        .addVertex("merged", new MergeVertex(), "merchant-embedding", "feature-dense")
        .addLayer("hidden", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "merged")
        .addLayer(
            "output",
            new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2).build(),
            "hidden")
        .setOutputs("output")
        .build();
  }
}
