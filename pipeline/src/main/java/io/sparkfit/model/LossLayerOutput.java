package io.sparkfit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network whose loss weighs each example by its weight ({@code data.weight-column}, the minibatch's
 * labels mask). DL4J's {@code OutputLayer} cannot: it multiplies its pre-activations by the mask as
 * well as the loss ({@code BaseLayer.preOutput}), so a weight of 2 doubles an example's logits before
 * the softmax, and only weights 0 and 1 weigh the loss alone. A {@code LossLayer} applies the mask to
 * the loss and its gradient only. So a weighted run's network ends in a {@code DenseLayer} holding the
 * output layer's parameters (identity activation, the same updater, initialisation and
 * regularisation) followed by a {@code LossLayer} with the output layer's loss and activation: the
 * same function of the same parameters, weighted as {@code sample_weight} weighs.
 *
 * <p>One more quirk of DL4J's losses: for an output of one column (a regression target, a single
 * sigmoid) a mask of one value per row has the output's own shape, which they take for a per-output
 * mask and apply twice to the gradient ({@code LossUtil.isPerOutputMasking}), so the gradient would
 * weigh a row by {@code w²}. Such a network is fitted with {@link #fitMask} ({@code √w}) and its loss
 * scored with the weights themselves.
 */
public final class LossLayerOutput {
  /** The suffix of the graph vertex that takes the output layer's parameters; the output keeps its name. */
  static final String LOGITS = "-logits";

  private LossLayerOutput() {}

  /** Whether {@code network} already ends in a {@code LossLayer}. */
  public static boolean endsInLossLayer(Network network) {
    return network.outputLayer().conf().getLayer() instanceof LossLayer;
  }

  /**
   * {@code network} ending in a dense layer and a loss layer, with the same parameters; itself when
   * it ends in a loss layer already. Its updater state starts afresh (a run converts its network
   * before the first epoch).
   */
  public static Network of(Network network) {
    if (endsInLossLayer(network)) {
      return network;
    }
    if (network.model() instanceof MultiLayerNetwork stack) {
      return Network.of(stack(stack));
    }
    return Network.of(graph((ComputationGraph) network.model()));
  }

  private static MultiLayerNetwork stack(MultiLayerNetwork stack) {
    MultiLayerConfiguration conf = stack.getLayerWiseConfigurations().clone();
    List<NeuralNetConfiguration> confs = conf.getConfs();
    NeuralNetConfiguration last = confs.get(confs.size() - 1);
    BaseOutputLayer output = outputLayer(last.getLayer());
    confs.set(confs.size() - 1, withLayer(last, dense(output, output.getLayerName())));
    confs.add(withLayer(last, loss(output, output.getLayerName() == null ? null : output.getLayerName() + "-loss")));
    MultiLayerNetwork converted = new MultiLayerNetwork(conf);
    // The dense layer's parameters are the output layer's, in the same place of the flat vector.
    converted.init(stack.params().dup(), false);
    return converted;
  }

  private static ComputationGraph graph(ComputationGraph graph) {
    ComputationGraphConfiguration conf = graph.getConfiguration().clone();
    String name = conf.getNetworkOutputs().get(0);
    LayerVertex vertex = (LayerVertex) conf.getVertices().get(name);
    BaseOutputLayer output = outputLayer(vertex.getLayerConf().getLayer());
    String logits = name + LOGITS;
    Map<String, GraphVertex> vertices = conf.getVertices();
    Map<String, List<String>> inputs = conf.getVertexInputs();
    vertices.put(logits, new LayerVertex(withLayer(vertex.getLayerConf(), dense(output, logits)), vertex.getPreProcessor()));
    inputs.put(logits, new ArrayList<>(inputs.get(name)));
    vertices.put(name, new LayerVertex(withLayer(vertex.getLayerConf(), loss(output, name)), null));
    inputs.put(name, new ArrayList<>(List.of(logits)));
    conf.setTopologicalOrder(null);
    conf.setTopologicalOrderStr(null);
    ComputationGraph converted = new ComputationGraph(conf);
    converted.init();
    for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
      String from = layer.conf().getLayer().getLayerName();
      INDArray params = layer.params();
      if (params != null && params.length() > 0) {
        converted.getLayer(from.equals(name) ? logits : from).setParams(params.dup());
      }
    }
    return converted;
  }

  private static BaseOutputLayer outputLayer(Layer layer) {
    if (!(layer instanceof BaseOutputLayer output)) {
      throw new IllegalArgumentException("The network ends in " + layer.getClass().getSimpleName() + ", not an output layer");
    }
    return output;
  }

  private static NeuralNetConfiguration withLayer(NeuralNetConfiguration like, Layer layer) {
    NeuralNetConfiguration conf = like.clone();
    conf.setLayer(layer);
    return conf;
  }

  /** The output layer's parameters and training settings, without its loss and activation. */
  private static DenseLayer dense(BaseOutputLayer output, String name) {
    DenseLayer dense = new DenseLayer.Builder().nIn(output.getNIn()).nOut(output.getNOut()).activation(Activation.IDENTITY).hasBias(output.hasBias()).build();
    dense.setLayerName(name);
    dense.setWeightInitFn(output.getWeightInitFn());
    dense.setBiasInit(output.getBiasInit());
    dense.setGainInit(output.getGainInit());
    dense.setRegularization(output.getRegularization());
    dense.setRegularizationBias(output.getRegularizationBias());
    dense.setIUpdater(output.getIUpdater());
    dense.setBiasUpdater(output.getBiasUpdater());
    dense.setIDropout(output.getIDropout());
    dense.setWeightNoise(output.getWeightNoise());
    dense.setGradientNormalization(output.getGradientNormalization());
    dense.setGradientNormalizationThreshold(output.getGradientNormalizationThreshold());
    return dense;
  }

  private static LossLayer loss(BaseOutputLayer output, String name) {
    LossLayer loss = new LossLayer.Builder(output.getLossFn()).activation(output.getActivationFn()).build();
    loss.setLayerName(name);
    // It has no parameters, but a layer without an updater is read back from JSON by DL4J's legacy path, which fails.
    loss.setIUpdater(output.getIUpdater());
    loss.setBiasUpdater(output.getBiasUpdater());
    return loss;
  }

  /**
   * Whether DL4J's loss applies a minibatch's weights (its labels mask, one value per row) twice to
   * the gradient for these labels: when they are one column, the mask's shape is theirs.
   */
  public static boolean masksTwice(INDArray labels) {
    return labels.rank() == 2 && labels.size(1) == 1;
  }

  /**
   * The labels mask that makes DL4J's gradient weigh each row by {@code weights}: the weights, or
   * their square roots where the loss applies the mask twice ({@link #masksTwice}).
   */
  public static INDArray fitMask(INDArray weights, INDArray labels) {
    return masksTwice(labels) ? org.nd4j.linalg.ops.transforms.Transforms.sqrt(weights, true) : weights;
  }

  /** The rows' weights from the labels mask a minibatch was fitted with ({@link #fitMask}). */
  public static INDArray weightsOfFitMask(INDArray mask, INDArray labels) {
    return masksTwice(labels) ? mask.mul(mask) : mask;
  }
}
