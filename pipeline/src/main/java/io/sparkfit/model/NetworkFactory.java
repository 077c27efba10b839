package io.sparkfit.model;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.GradientClipping;
import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.LearningRateSchedule;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Task;
import io.sparkfit.config.UpdaterSpec;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.InputLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * Builds the DL4J network a config describes from {@code model.layers}: a layer stack
 * ({@link MultiLayerNetwork}) over one input, flat, an image or a sequence, as the feature columns
 * declare; or, with {@code model.embeddings}, a {@link ComputationGraph} with one input and embedding
 * per embedded column and one for the other columns, merged before the layers. DL4J infers each
 * layer's input size from the input type. The output layer follows the task: softmax with
 * cross-entropy over the label index for classes, identity with squared error for a target.
 */
public final class NetworkFactory {
  /** RMSProp's epsilon, DL4J's default. */
  private static final double RMSPROP_EPSILON = 1e-8;
  /** The name of the input that takes every column not embedded. */
  public static final String FEATURES_INPUT = "features";

  private NetworkFactory() {}

  /** Which columns feed which input of the network {@link #create(ModelConfig, Task, FeatureSpec, int, Optional)} builds. */
  public static InputLayout layout(ModelConfig model, FeatureSpec spec) {
    if (model.embeddings().isEmpty()) {
      return InputLayout.single(spec, FEATURES_INPUT);
    }
    List<InputLayout.NetworkInput> inputs = new ArrayList<>();
    List<String> rest = new ArrayList<>(spec.columnNames());
    rest.removeAll(model.embeddings().keySet());
    if (!rest.isEmpty()) {
      inputs.add(new InputLayout.Columns(FEATURES_INPUT, rest));
    }
    for (String column : model.embeddings().keySet()) {
      int at = spec.columnNames().indexOf(column);
      InvalidInputException.check(
          at >= 0,
          "Invalid model.embeddings.\"%s\": not a feature column (data.features: %s)",
          column,
          spec.columnNames());
      InvalidInputException.check(
          spec.columns().get(at) instanceof InputColumn.Categorical,
          "Invalid model.embeddings.\"%s\": column '%s' is %s; an embedding takes a categorical column",
          column,
          column,
          spec.columns().get(at).kind());
      inputs.add(new InputLayout.Embedding(column, column));
    }
    return new InputLayout(inputs);
  }

  /** A new, initialised network over {@code spec}'s columns, laid out as {@link #layout} says. */
  public static Network create(ModelConfig model, Task task, FeatureSpec spec, int outputs, Optional<double[]> classWeights) {
    if (classWeights.isPresent() && classWeights.get().length != outputs) {
      throw new IllegalArgumentException(classWeights.get().length + " class weights for " + outputs + " classes");
    }
    InputLayout layout = layout(model, spec);
    if (layout.inputs().size() == 1 && model.embeddings().isEmpty()) {
      MultiLayerNetwork network = new MultiLayerNetwork(stack(model, task, inputType(spec), outputs, classWeights));
      network.init();
      return Network.of(network);
    }
    ComputationGraph graph = new ComputationGraph(graph(model, task, spec, layout, outputs, classWeights));
    graph.init();
    return Network.of(graph);
  }

  /** What the data's single input is to DL4J: an image (a shaped array alone), a sequence, or flat values. */
  static InputType inputType(FeatureSpec spec) {
    if (spec.columns().size() == 1) {
      InputColumn only = spec.columns().get(0);
      if (only instanceof InputColumn.Sequence sequence) {
        return InputType.recurrent(sequence.features());
      }
      if (only instanceof InputColumn.Array array && !array.shape().isEmpty()) {
        List<Integer> s = array.shape();
        return InputType.convolutionalFlat(s.get(1), s.get(2), s.get(0));
      }
    }
    return InputType.feedForward(spec.width());
  }

  private static MultiLayerConfiguration stack(
      ModelConfig model, Task task, InputType input, int outputs, Optional<double[]> classWeights) {
    checkLayersFit(model.layers(), input);
    NeuralNetConfiguration.ListBuilder list = base(model).list();
    List<Layer> layers = layers(model.layers());
    for (int i = 0; i < layers.size(); i++) {
      list.layer(i, layers.get(i));
    }
    list.layer(layers.size(), output(task, outputs, classWeights));
    list.setInputType(input);
    return list.build();
  }

  private static ComputationGraphConfiguration graph(
      ModelConfig model, Task task, FeatureSpec spec, InputLayout layout, int outputs, Optional<double[]> classWeights) {
    ComputationGraphConfiguration.GraphBuilder graph = base(model).graphBuilder();
    List<String> merged = new ArrayList<>();
    InputType[] types = new InputType[layout.inputs().size()];
    for (int i = 0; i < types.length; i++) {
      InputLayout.NetworkInput input = layout.inputs().get(i);
      graph.addInputs(input.name());
      if (input instanceof InputLayout.Embedding embedding) {
        InputColumn.Categorical column =
            (InputColumn.Categorical) spec.columns().get(spec.columnNames().indexOf(embedding.column()));
        String name = "embedding-" + input.name();
        graph.addLayer(
            name,
            new EmbeddingLayer.Builder()
                .nIn(column.width())
                .nOut(model.embeddings().get(embedding.column()))
                .activation(Activation.IDENTITY)
                .build(),
            input.name());
        merged.add(name);
        // The data is one vocabulary index per row, but DL4J sets an embedding's nIn from its input
        // type's size, so the type says how many values the index can take.
        types[i] = InputType.feedForward(column.width());
      } else {
        merged.add(input.name());
        types[i] = InputType.feedForward(spec.width(input.columns()));
      }
    }
    String previous = "merged";
    graph.addVertex(previous, new MergeVertex(), merged.toArray(String[]::new));
    List<Layer> layers = layers(model.layers());
    for (int i = 0; i < layers.size(); i++) {
      String name = "layer-" + i;
      graph.addLayer(name, layers.get(i), previous);
      previous = name;
    }
    graph.addLayer("output", output(task, outputs, classWeights), previous);
    graph.setOutputs("output");
    graph.setInputTypes(types);
    return graph.build();
  }

  private static NeuralNetConfiguration.Builder base(ModelConfig model) {
    NeuralNetConfiguration.Builder base =
        new NeuralNetConfiguration.Builder()
            .seed(model.seed())
            .updater(updater(model.updater()))
            .weightInit(WeightInit.XAVIER);
    if (model.l2() > 0) {
      base.l2(model.l2());
    }
    if (model.weightDecay() > 0) {
      base.weightDecay(model.weightDecay());
    }
    GradientClipping clipping = model.gradientClipping();
    if (clipping.type() != GradientClipping.Type.NONE) {
      base.gradientNormalization(gradientNormalization(clipping.type())).gradientNormalizationThreshold(clipping.threshold());
    }
    return base;
  }

  /**
   * Refuses layers the input cannot feed, naming the layer: convolution and pooling need an image,
   * an LSTM a sequence, and a sequence must first go through an LSTM.
   */
  private static void checkLayersFit(List<LayerSpec> layers, InputType input) {
    boolean image = input.getType() == InputType.Type.CNNFlat || input.getType() == InputType.Type.CNN;
    boolean sequence = input.getType() == InputType.Type.RNN;
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec layer = layers.get(i);
      String where = "model.layers[" + i + "]";
      boolean spatial = layer.type() == LayerSpec.Type.CONV2D || layer.type() == LayerSpec.Type.SUBSAMPLING;
      InvalidInputException.check(
          !spatial || image,
          "Invalid %s: %s needs an image input (declare shape = [channels, height, width] on the one array feature column), but the input is %s",
          where,
          layer.type().key(),
          describe(input));
      InvalidInputException.check(
          layer.type() != LayerSpec.Type.LSTM || sequence,
          "Invalid %s: lstm needs a sequence input (one array<array<float>> feature column), but the input is %s",
          where,
          describe(input));
    }
    if (sequence) {
      InvalidInputException.check(
          !layers.isEmpty() && layers.get(0).type() == LayerSpec.Type.LSTM,
          "Invalid model.layers: a sequence input (%s) must go first through an lstm layer; found %s",
          describe(input),
          layers.isEmpty() ? "no layers" : layers.get(0).type().key());
    }
  }

  private static String describe(InputType input) {
    return switch (input.getType()) {
      case CNNFlat, CNN -> "an image";
      case RNN -> "a sequence";
      default -> "flat values";
    };
  }

  /** DL4J layers for the specs; an LSTM before a layer that is not recurrent hands on its last real step. */
  private static List<Layer> layers(List<LayerSpec> specs) {
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      LayerSpec.Type next = i + 1 < specs.size() ? specs.get(i + 1).type() : null;
      layers.add(specs.get(i).accept(new Dl4jLayer(next == LayerSpec.Type.LSTM || next == LayerSpec.Type.GLOBAL_POOLING)));
    }
    return layers;
  }

  /** The DL4J layer of each kind of layer spec. */
  private record Dl4jLayer(boolean recurrentNext) implements LayerSpec.Visitor<Layer> {
    @Override
    public Layer dense(LayerSpec.Dense dense) {
      Activation activation = activation(dense.activation());
      return new DenseLayer.Builder()
          .nOut(dense.units())
          .activation(activation)
          .weightInit(isRectifier(activation) ? WeightInit.RELU : WeightInit.XAVIER)
          .build();
    }

    @Override
    public Layer dropout(LayerSpec.Dropout dropout) {
      // DL4J's dropout argument is the probability of *retaining* an input.
      return new DropoutLayer.Builder(1.0 - dropout.rate()).build();
    }

    @Override
    public Layer batchNorm(LayerSpec.BatchNorm layer) {
      return new BatchNormalization.Builder().build();
    }

    @Override
    public Layer conv2d(LayerSpec.Conv2d conv) {
      Activation activation = activation(conv.activation());
      ConvolutionLayer.Builder builder =
          new ConvolutionLayer.Builder(conv.kernel().get(0), conv.kernel().get(1))
              .stride(conv.stride().get(0), conv.stride().get(1))
              .nOut(conv.filters())
              .activation(activation)
              .weightInit(isRectifier(activation) ? WeightInit.RELU : WeightInit.XAVIER);
      if (conv.same()) {
        builder.convolutionMode(ConvolutionMode.Same);
      } else {
        builder.padding(conv.padding().get(0), conv.padding().get(1)).convolutionMode(ConvolutionMode.Truncate);
      }
      return builder.build();
    }

    @Override
    public Layer subsampling(LayerSpec.Subsampling pool) {
      return new SubsamplingLayer.Builder(poolingType(pool.pooling()))
          .kernelSize(pool.kernel().get(0), pool.kernel().get(1))
          .stride(pool.stride().get(0), pool.stride().get(1))
          .build();
    }

    @Override
    public Layer globalPooling(LayerSpec.GlobalPooling pool) {
      return new GlobalPoolingLayer.Builder(poolingType(pool.pooling())).build();
    }

    @Override
    public Layer lstm(LayerSpec.Lstm lstm) {
      Layer recurrent = new LSTM.Builder().nOut(lstm.units()).activation(activation(lstm.activation())).build();
      if (lstm.bidirectional()) {
        recurrent = new Bidirectional(Bidirectional.Mode.CONCAT, recurrent);
      }
      return recurrentNext ? recurrent : new LastTimeStep(recurrent);
    }
  }

  private static Layer output(Task task, int outputs, Optional<double[]> classWeights) {
    if (task == Task.CLASSIFICATION) {
      ILossFunction loss =
          classWeights.<ILossFunction>map(w -> new LossMCXENT(Nd4j.create(w).reshape(1, w.length).castTo(DataType.FLOAT)))
              .orElseGet(LossMCXENT::new);
      return new OutputLayer.Builder(loss).activation(Activation.SOFTMAX).nOut(outputs).build();
    }
    return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build();
  }

  static Activation activation(String name) {
    return Activation.valueOf(name.toUpperCase(Locale.ROOT));
  }

  private static boolean isRectifier(Activation a) {
    return a == Activation.RELU || a == Activation.LEAKYRELU || a == Activation.ELU || a == Activation.SELU;
  }

  private static PoolingType poolingType(LayerSpec.Pooling pooling) {
    return pooling == LayerSpec.Pooling.MAX ? PoolingType.MAX : PoolingType.AVG;
  }

  private static GradientNormalization gradientNormalization(GradientClipping.Type type) {
    return switch (type) {
      case NONE -> GradientNormalization.None;
      case CLIP_VALUE -> GradientNormalization.ClipElementWiseAbsoluteValue;
      case CLIP_L2_PER_LAYER -> GradientNormalization.ClipL2PerLayer;
      case CLIP_L2_PER_PARAM_TYPE -> GradientNormalization.ClipL2PerParamType;
      case RENORMALIZE_L2_PER_LAYER -> GradientNormalization.RenormalizeL2PerLayer;
      case RENORMALIZE_L2_PER_PARAM_TYPE -> GradientNormalization.RenormalizeL2PerParamType;
    };
  }

  private static IUpdater updater(UpdaterSpec spec) {
    ISchedule schedule = schedule(spec.learningRate(), spec.schedule());
    if (schedule == null) {
      return switch (spec.type()) {
        case ADAM -> new Adam(spec.learningRate());
        case SGD -> new Sgd(spec.learningRate());
        case NESTEROVS -> new Nesterovs(spec.learningRate(), spec.momentum());
        case RMSPROP -> new RmsProp(spec.learningRate(), spec.decay(), RMSPROP_EPSILON);
      };
    }
    return switch (spec.type()) {
      case ADAM -> new Adam(schedule);
      case SGD -> new Sgd(schedule);
      case NESTEROVS -> new Nesterovs(schedule, spec.momentum());
      case RMSPROP -> {
        RmsProp rmsProp = new RmsProp(schedule);
        rmsProp.setRmsDecay(spec.decay());
        rmsProp.setEpsilon(RMSPROP_EPSILON);
        yield rmsProp;
      }
    };
  }

  /** The learning rate by epoch; null for a constant rate. */
  private static ISchedule schedule(double initial, LearningRateSchedule schedule) {
    if (schedule instanceof LearningRateSchedule.Step step) {
      return new StepSchedule(ScheduleType.EPOCH, initial, step.gamma(), step.everyEpochs());
    }
    if (schedule instanceof LearningRateSchedule.Exponential exponential) {
      return new ExponentialSchedule(ScheduleType.EPOCH, initial, exponential.gamma());
    }
    if (schedule instanceof LearningRateSchedule.Poly poly) {
      return new PolySchedule(ScheduleType.EPOCH, initial, poly.power(), poly.epochs());
    }
    return null;
  }
}
