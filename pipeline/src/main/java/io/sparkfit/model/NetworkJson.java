package io.sparkfit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.Task;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.InputLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A user's own DL4J network ({@code model.dl4j-configuration}): a {@code MultiLayerConfiguration} or
 * {@code ComputationGraphConfiguration} as DL4J's {@code toJson()} writes it.
 *
 * <p>The JSON is untrusted input, and DL4J's reader instantiates whatever classes it names. So the
 * text is first read as a plain JSON tree, and every class it names (Jackson's {@code "@class"}
 * properties, and type ids written as {@code ["class", {...}]}) must belong to DL4J's own layer,
 * vertex, preprocessor, weight-init, loss, activation, updater, regularisation or schedule packages;
 * any other class is refused by name before DL4J reads the text, so it is never loaded.
 *
 * <p>Then the network is checked against the data: its input size or shape, its output count against
 * the classes, its loss against the task, each with a one-line error.
 */
public final class NetworkJson {
  /** The packages whose classes a network JSON may name: DL4J's configuration classes only. */
  static final List<String> ALLOWED_PACKAGES =
      List.of(
          "org.deeplearning4j.nn.conf.",
          "org.deeplearning4j.nn.weights.",
          "org.nd4j.linalg.activations.impl.",
          "org.nd4j.linalg.lossfunctions.impl.",
          "org.nd4j.linalg.learning.config.",
          "org.nd4j.linalg.learning.regularization.",
          "org.nd4j.linalg.schedule.");
  private static final Set<String> CLASSIFICATION_LOSSES = Set.of("LossMCXENT", "LossNegativeLogLikelihood", "LossBinaryXENT");
  private static final Set<String> REGRESSION_LOSSES =
      Set.of("LossMSE", "LossL2", "LossL1", "LossMAE", "LossHuber", "LossMAPE", "LossMSLE", "LossLogCosh");
  private static final ObjectMapper JSON = new ObjectMapper();

  private NetworkJson() {}

  /** A user's network and which feature columns feed which of its inputs. */
  public record Loaded(Network network, InputLayout layout) {}

  /**
   * Reads the user's JSON into a network for this data, after refusing foreign classes.
   *
   * @param source where the JSON came from, for messages: {@code model.dl4j-configuration net.json}
   * @param outputs the number of classes, or 1 for a regression target
   */
  public static Loaded load(String json, String source, Task task, FeatureSpec spec, int outputs) {
    checkClasses(json, source);
    Network network;
    try {
      network = Network.fromJson(json);
    } catch (RuntimeException e) {
      throw InvalidInputException.of("%s is not a DL4J network configuration DL4J can read: %s", source, firstLine(e));
    }
    InputLayout layout = layout(network, spec, source);
    checkOutput(network, task, outputs, source);
    checkInputs(network, layout, spec, source);
    return new Loaded(network, layout);
  }

  /**
   * {@code network} with the layers, updaters and schedules of {@code json} (the same network's
   * configuration with other learning rates), keeping its parameters.
   */
  public static Network withConfiguration(Network network, String json, String source) {
    checkClasses(json, source);
    return Network.fromJson(json, network.params(), null);
  }

  /** Refuses the JSON, naming the class, if it names a Java class outside DL4J's configuration packages. */
  public static void checkClasses(String json, String source) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (IOException e) {
      throw InvalidInputException.of("%s is not valid JSON: %s", source, firstLine(e));
    }
    InvalidInputException.check(tree != null && tree.isObject(), "%s is not a JSON object", source);
    checkNode(tree, "$", source);
  }

  private static void checkNode(JsonNode node, String path, String source) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String at = path + "." + field.getKey();
        if (field.getKey().equals("@class")) {
          checkClass(field.getValue().asText(), at, source);
        }
        checkNode(field.getValue(), at, source);
      }
    } else if (node.isArray()) {
      // Jackson also reads a type id written as a two-element array: ["class name", { ...value }].
      if (node.size() == 2 && node.get(0).isTextual() && (node.get(1).isObject() || node.get(1).isArray())) {
        checkClass(node.get(0).asText(), path + "[0]", source);
      }
      for (int i = 0; i < node.size(); i++) {
        checkNode(node.get(i), path + "[" + i + "]", source);
      }
    }
  }

  private static void checkClass(String name, String path, String source) {
    boolean allowed = ALLOWED_PACKAGES.stream().anyMatch(p -> name.startsWith(p) && name.indexOf('/') < 0);
    InvalidInputException.check(
        allowed,
        "%s names class %s at %s, which is not one of DL4J's layer, vertex, loss, activation or updater classes; refused",
        source,
        name,
        path);
  }

  /** Whether a network JSON is a computation graph's (it has vertices) rather than a layer stack's. */
  static boolean isGraph(String json) {
    try {
      return JSON.readTree(json).has("vertices");
    } catch (IOException e) {
      throw new IllegalArgumentException("Not a JSON network configuration", e);
    }
  }

  /**
   * One input takes every column. With several graph inputs, each is named after the feature column
   * it takes (a categorical column whose input feeds an embedding layer goes in as its vocabulary
   * index), and at most one other input takes the remaining columns.
   */
  private static InputLayout layout(Network network, FeatureSpec spec, String source) {
    if (!(network.model() instanceof ComputationGraph graph) || graph.getConfiguration().getNetworkInputs().size() == 1) {
      String name =
          network.model() instanceof ComputationGraph graph
              ? graph.getConfiguration().getNetworkInputs().get(0)
              : NetworkFactory.FEATURES_INPUT;
      return InputLayout.single(spec, name);
    }
    ComputationGraphConfiguration conf = graph.getConfiguration();
    List<InputLayout.NetworkInput> inputs = new ArrayList<>();
    List<String> rest = new ArrayList<>(spec.columnNames());
    rest.removeAll(conf.getNetworkInputs());
    String restInput = null;
    for (String name : conf.getNetworkInputs()) {
      int at = spec.columnNames().indexOf(name);
      if (at < 0) {
        InvalidInputException.check(
            restInput == null,
            "%s has inputs %s: with several inputs, each is named after the feature column it takes, and at most one "
                + "other input takes the remaining columns (found two: '%s' and '%s'; data.features: %s)",
            source, conf.getNetworkInputs(), restInput, name, spec.columnNames());
        restInput = name;
        inputs.add(new InputLayout.Columns(name, rest));
      } else if (spec.columns().get(at) instanceof InputColumn.Categorical categorical && embeddingInputs(conf, name) > 0) {
        long embedded = embeddingInputs(conf, name);
        InvalidInputException.check(
            embedded == categorical.width(),
            "%s: input '%s' feeds an embedding of %d values, but column '%s' has %d (%d categories, other and null)",
            source, name, embedded, name, categorical.width(), categorical.vocabulary().size());
        inputs.add(new InputLayout.Embedding(name, name));
      } else {
        inputs.add(new InputLayout.Columns(name, List.of(name)));
      }
    }
    InvalidInputException.check(
        restInput != null || rest.isEmpty(),
        "%s has inputs %s, which take no feature columns %s; name an input after each, or add one more input for them",
        source, conf.getNetworkInputs(), rest);
    InvalidInputException.check(
        restInput == null || !rest.isEmpty(),
        "%s has input '%s', but every feature column has an input named after it",
        source, restInput);
    InputLayout layout = new InputLayout(inputs);
    String problem = layout.problemWith(spec);
    InvalidInputException.check(problem == null, "%s: %s", source, problem);
    return layout;
  }

  /** How many values the embedding layer that {@code input} feeds takes (its nIn); 0 when it feeds none. */
  private static long embeddingInputs(ComputationGraphConfiguration conf, String input) {
    for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
      GraphVertex vertex = conf.getVertices().get(e.getKey());
      if (e.getValue().contains(input) && vertex instanceof LayerVertex layer) {
        var l = layer.getLayerConf().getLayer();
        if (l instanceof EmbeddingLayer || l instanceof EmbeddingSequenceLayer) {
          return ((FeedForwardLayer) l).getNIn();
        }
      }
    }
    return 0;
  }

  private static void checkOutput(Network network, Task task, int outputs, String source) {
    if (network.model() instanceof ComputationGraph graph) {
      InvalidInputException.check(
          graph.getConfiguration().getNetworkOutputs().size() == 1,
          "%s has %d outputs %s; Sparkfit trains networks with one output",
          source, graph.getConfiguration().getNetworkOutputs().size(), graph.getConfiguration().getNetworkOutputs());
    }
    var layer = network.outputLayer().conf().getLayer();
    InvalidInputException.check(
        layer instanceof BaseOutputLayer,
        "%s ends in %s, not an output layer with a loss function",
        source,
        layer.getClass().getSimpleName());
    BaseOutputLayer output = (BaseOutputLayer) layer;
    String loss = output.getLossFn().getClass().getSimpleName();
    if (task == Task.CLASSIFICATION) {
      InvalidInputException.check(
          CLASSIFICATION_LOSSES.contains(loss),
          "%s has loss %s, which does not fit data.task = classification (use one of %s)",
          source, loss, CLASSIFICATION_LOSSES);
      InvalidInputException.check(
          output.getActivationFn() instanceof ActivationSoftmax,
          "%s has output activation %s; data.task = classification needs softmax (class probabilities)",
          source, output.getActivationFn());
    } else {
      InvalidInputException.check(
          REGRESSION_LOSSES.contains(loss),
          "%s has loss %s, which does not fit data.task = regression (use one of %s)",
          source, loss, REGRESSION_LOSSES);
    }
    InvalidInputException.check(
        output.getNOut() == outputs,
        "%s has %d outputs, but the data has %s",
        source,
        output.getNOut(),
        task == Task.CLASSIFICATION ? outputs + " classes" : "one regression target");
  }

  /** Runs two rows of zeros shaped like the data through the network, and explains a failure in one line. */
  private static void checkInputs(Network network, InputLayout layout, FeatureSpec spec, String source) {
    if (network.model() instanceof MultiLayerNetwork stack
        && stack.getLayerWiseConfigurations().getInputPreProcess(0) == null
        && stack.getLayerWiseConfigurations().getConf(0).getLayer() instanceof FeedForwardLayer first
        && layout.inputs().get(0) instanceof InputLayout.Columns) {
      InvalidInputException.check(
          first.getNIn() == spec.width(),
          "%s: the first layer takes %d inputs, but the data makes %d (%s)",
          source, first.getNIn(), spec.width(), spec.describe());
    }
    INDArray[] features = new INDArray[layout.inputs().size()];
    INDArray[] masks = null;
    for (int i = 0; i < features.length; i++) {
      InputLayout.NetworkInput input = layout.inputs().get(i);
      if (input instanceof InputLayout.Sequence) {
        features[i] = Nd4j.zeros(2, spec.width(), 3);
        masks = new INDArray[] {Nd4j.ones(2, 3)};
      } else if (input instanceof InputLayout.Embedding) {
        features[i] = Nd4j.zeros(2, 1);
      } else {
        features[i] = Nd4j.zeros(2, spec.width(input.columns()));
      }
    }
    try {
      network.output(features, masks);
    } catch (RuntimeException e) {
      throw InvalidInputException.of(
          "%s does not take this data's inputs (%s as %s): %s", source, spec.describe(), shapes(features), firstLine(e));
    }
  }

  private static String shapes(INDArray[] features) {
    List<String> shapes = new ArrayList<>();
    for (INDArray f : features) {
      long[] s = f.shape().clone();
      s[0] = -1;
      shapes.add(java.util.Arrays.toString(s).replace("-1", "rows"));
    }
    return String.join(", ", shapes);
  }

  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
