package io.sparkfit.model;

import java.util.Collection;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A DL4J network Sparkfit trains, checkpoints and scores: a {@link MultiLayerNetwork} (a stack of
 * layers with one input) or a {@link ComputationGraph} (any graph of layers and vertices, with one
 * input per group of columns). The engine, the metrics, scoring and model files see only this, so
 * both kinds go everywhere. Minibatches are {@link MultiDataSet}s; a layer stack fits and scores its
 * one input exactly as {@code MultiLayerNetwork.fit(DataSet)} does.
 *
 * <p>Not thread-safe, like the DL4J network it wraps.
 */
public sealed interface Network permits Network.Wrapped {

  static Network of(MultiLayerNetwork network) {
    return new LayerStack(network);
  }

  static Network of(ComputationGraph network) {
    return new Graph(network);
  }

  /**
   * A new, initialised network from a configuration JSON that Sparkfit wrote or has already checked
   * ({@link NetworkJson} checks users' JSON): a computation graph's JSON names its vertices.
   */
  static Network fromJson(String json) {
    if (NetworkJson.isGraph(json)) {
      ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
      graph.init();
      return new Graph(graph);
    }
    MultiLayerNetwork stack = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
    stack.init();
    return new LayerStack(stack);
  }

  /**
   * A network from a checked configuration JSON with these parameters (and updater state, or null),
   * as a model file holds them; the parameters' data type wins over the configuration's.
   */
  static Network fromJson(String json, INDArray params, INDArray updaterState) {
    Network network;
    if (NetworkJson.isGraph(json)) {
      ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(json);
      conf.setDataType(params.dataType());
      ComputationGraph graph = new ComputationGraph(conf);
      graph.init(params, false);
      if (updaterState != null) {
        graph.getUpdater().setStateViewArray(updaterState);
      }
      network = new Graph(graph);
    } else {
      MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(json);
      conf.setDataType(params.dataType());
      MultiLayerNetwork stack = new MultiLayerNetwork(conf);
      stack.init(params, false);
      if (updaterState != null) {
        stack.getUpdater().setStateViewArray(stack, updaterState, false);
      }
      network = new LayerStack(stack);
    }
    return network;
  }

  /** A minibatch of a network with one input as the {@link DataSet} DL4J's layer stacks take. */
  static DataSet singleInput(MultiDataSet m) {
    return new DataSet(
        m.getFeatures(0),
        m.getLabels(0),
        m.getFeaturesMaskArrays() == null ? null : m.getFeaturesMaskArray(0),
        m.getLabelsMaskArrays() == null ? null : m.getLabelsMaskArray(0));
  }

  /** The DL4J configuration as JSON, which {@link #fromJson} reads back. */
  String configurationJson();

  /** The network's parameters, one flat view. */
  INDArray params();

  void setParams(INDArray params);

  long numParams();

  /** The updater's state (Adam's moments), one flat view; null when the updater keeps none (SGD). */
  INDArray updaterState();

  /** DL4J's count of minibatches fitted; learning-rate schedules by iteration read it. */
  int iterationCount();

  /** DL4J's count of epochs completed; learning-rate schedules by epoch read it. */
  int epochCount();

  void setCounts(int iteration, int epoch);

  /** Fits one minibatch: one forward and backward pass and one update. */
  void fit(MultiDataSet minibatch);

  /**
   * Fits one minibatch and returns its mean loss in the training forward pass, without the
   * regularisation term: the loss Keras's {@code fit} reports, and what validation compares with.
   */
  default double fitLoss(MultiDataSet minibatch) {
    INDArray weights = minibatch.getLabelsMaskArrays() == null ? null : minibatch.getLabelsMaskArray(0);
    if (weights != null && LossLayerOutput.masksTwice(minibatch.getLabels(0))) {
      // DL4J would weigh this gradient by w² (LossLayerOutput): fit with √w, and score with w first,
      // at the parameters the fit starts from, as DL4J's own score is. That forward pass is in
      // inference mode (no dropout), and costs a third of a step or so.
      double loss = meanLoss(minibatch);
      fit(new org.nd4j.linalg.dataset.MultiDataSet(
          minibatch.getFeatures(),
          minibatch.getLabels(),
          minibatch.getFeaturesMaskArrays(),
          new INDArray[] {LossLayerOutput.fitMask(weights, minibatch.getLabels(0))}));
      return loss;
    }
    double regularisation = regularizationScore();
    fit(minibatch);
    return dataLoss(score(), regularisation);
  }

  /**
   * A minibatch's mean loss at the current parameters, in inference mode, each example's loss
   * multiplied by its labels mask, without the regularisation term.
   */
  double meanLoss(MultiDataSet minibatch);

  /**
   * The mean loss of a fitted minibatch from DL4J's score after {@code fit}: the forward pass's mean
   * loss plus the regularisation term, computed before the update; {@code regularisationBeforeUpdate}
   * is that term, so the one place the two are told apart is here.
   */
  static double dataLoss(double scoreAfterFit, double regularisationBeforeUpdate) {
    return scoreAfterFit - regularisationBeforeUpdate;
  }

  /** The last minibatch's mean loss in its forward pass, plus the regularisation term. */
  double score();

  /** The regularisation term of {@link #score()} for the current parameters. */
  double regularizationScore();

  /** The network's output for a minibatch's inputs, in inference mode. */
  INDArray output(INDArray[] features, INDArray[] masks);

  /**
   * About how many multiply-adds one example's forward pass takes: each layer's parameters times the
   * positions it applies them at (1 for a dense layer, height x width of a convolution's output,
   * the time steps of a recurrent layer), read from the activations of {@code minibatch}'s inputs. A
   * count of work, from shapes alone, that does not depend on the machine: how
   * {@code training.workers = auto} weighs a network.
   */
  long multiplyAddsPerExample(MultiDataSet minibatch);

  /** The positions a layer's parameters are applied at, from its output activations' shape. */
  static long positions(INDArray activations) {
    long positions = 1;
    for (int d = 2; d < activations.rank(); d++) {
      positions *= activations.size(d);
    }
    return positions;
  }

  void setListeners(Collection<TrainingListener> listeners);

  /**
   * Drops the network's references to the last minibatch it saw (inputs, labels, masks), so that
   * minibatch's memory can be freed at once.
   */
  void clearInputs();

  /** The output layer, which holds its input from the last forward pass until the next one. */
  Layer outputLayer();

  int layerCount();

  /** An independent copy, parameters and updater state included. */
  Network copy();

  /** The DL4J network itself, for DL4J's own file format and engine. */
  Model model();

  /** The network as a {@link MultiLayerNetwork}, when it is one. */
  Optional<MultiLayerNetwork> asMultiLayer();

  /** What both kinds do alike, through DL4J's {@link Model}. */
  abstract sealed class Wrapped implements Network permits LayerStack, Graph {
    private final Model model;

    Wrapped(Model model) {
      this.model = model;
    }

    @Override
    public INDArray params() {
      return model.params();
    }

    @Override
    public void setParams(INDArray params) {
      model.setParams(params);
    }

    @Override
    public long numParams() {
      return model.numParams();
    }

    @Override
    public double score() {
      return model.score();
    }

    @Override
    public void setListeners(Collection<TrainingListener> listeners) {
      model.setListeners(listeners);
    }

    @Override
    public Model model() {
      return model;
    }
  }

  /** A {@link MultiLayerNetwork}. */
  final class LayerStack extends Wrapped {
    private final MultiLayerNetwork network;

    @Override
    public void clearInputs() {
      // Not MultiLayerNetwork.clear(): that also drops the solver, and with it the updater's state.
      network.clearLayersStates();
      network.clearLayerMaskArrays();
      network.setInput(null);
      network.setLabels(null);
    }

    private LayerStack(MultiLayerNetwork network) {
      super(network);
      this.network = network;
    }

    @Override
    public String configurationJson() {
      return network.getLayerWiseConfigurations().toJson();
    }

    @Override
    public INDArray updaterState() {
      return network.getUpdater().getStateViewArray();
    }

    @Override
    public int iterationCount() {
      return network.getLayerWiseConfigurations().getIterationCount();
    }

    @Override
    public int epochCount() {
      return network.getLayerWiseConfigurations().getEpochCount();
    }

    @Override
    public void setCounts(int iteration, int epoch) {
      network.getLayerWiseConfigurations().setIterationCount(iteration);
      network.getLayerWiseConfigurations().setEpochCount(epoch);
    }

    @Override
    public void fit(MultiDataSet minibatch) {
      network.fit(Network.singleInput(minibatch));
    }

    @Override
    public double meanLoss(MultiDataSet minibatch) {
      return network.score(Network.singleInput(minibatch), false) - network.calcRegularizationScore(true);
    }

    @Override
    public double regularizationScore() {
      return network.calcRegularizationScore(true);
    }

    @Override
    public INDArray output(INDArray[] features, INDArray[] masks) {
      return network.output(features[0], false, masks == null ? null : masks[0], null);
    }

    @Override
    public long multiplyAddsPerExample(MultiDataSet minibatch) {
      java.util.List<INDArray> activations = network.feedForward(minibatch.getFeatures(0), false);
      long total = 0;
      for (int i = 0; i < network.getnLayers(); i++) {
        total += network.getLayer(i).numParams() * Network.positions(activations.get(i + 1));
      }
      network.clearLayersStates();
      return total;
    }

    @Override
    public Layer outputLayer() {
      return network.getOutputLayer();
    }

    @Override
    public int layerCount() {
      return network.getnLayers();
    }

    @Override
    public Network copy() {
      return new LayerStack(network.clone());
    }

    @Override
    public Optional<MultiLayerNetwork> asMultiLayer() {
      return Optional.of(network);
    }
  }

  /** A {@link ComputationGraph} with one output. */
  final class Graph extends Wrapped {
    private final ComputationGraph network;

    @Override
    public void clearInputs() {
      // Not ComputationGraph.clear(): that also drops the solver, and with it the updater's state.
      network.clearLayersStates();
      network.clearLayerMaskArrays();
      network.setInputs((INDArray[]) null);
      network.setLabels((INDArray[]) null);
    }

    private Graph(ComputationGraph network) {
      super(network);
      this.network = network;
    }

    @Override
    public String configurationJson() {
      return network.getConfiguration().toJson();
    }

    @Override
    public INDArray updaterState() {
      return network.getUpdater().getStateViewArray();
    }

    @Override
    public int iterationCount() {
      return network.getConfiguration().getIterationCount();
    }

    @Override
    public int epochCount() {
      return network.getConfiguration().getEpochCount();
    }

    @Override
    public void setCounts(int iteration, int epoch) {
      network.getConfiguration().setIterationCount(iteration);
      network.getConfiguration().setEpochCount(epoch);
    }

    @Override
    public void fit(MultiDataSet minibatch) {
      network.fit(minibatch);
    }

    @Override
    public double meanLoss(MultiDataSet minibatch) {
      return network.score(minibatch, false) - network.calcRegularizationScore(true);
    }

    @Override
    public double regularizationScore() {
      return network.calcRegularizationScore(true);
    }

    @Override
    public INDArray output(INDArray[] features, INDArray[] masks) {
      return network.output(false, features, masks)[0];
    }

    @Override
    public long multiplyAddsPerExample(MultiDataSet minibatch) {
      java.util.Map<String, INDArray> activations = network.feedForward(minibatch.getFeatures(), false);
      long total = 0;
      for (org.deeplearning4j.nn.api.Layer layer : network.getLayers()) {
        INDArray out = activations.get(layer.getConfig().getLayerName());
        total += layer.numParams() * (out == null ? 1 : Network.positions(out));
      }
      network.clearLayersStates();
      return total;
    }

    @Override
    public Layer outputLayer() {
      return network.getOutputLayer(0);
    }

    @Override
    public int layerCount() {
      return network.getNumLayers();
    }

    @Override
    public Network copy() {
      return new Graph(network.clone());
    }

    @Override
    public Optional<MultiLayerNetwork> asMultiLayer() {
      return Optional.empty();
    }
  }
}
