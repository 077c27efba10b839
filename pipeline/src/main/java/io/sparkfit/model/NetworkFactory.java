package io.sparkfit.model;

import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Task;
import io.sparkfit.config.UpdaterSpec;
import java.util.Locale;
import java.util.Optional;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Builds the DL4J network a config describes. The output layer follows the task: softmax with
 * cross-entropy over the label index for classes, identity with squared error for a target.
 */
public final class NetworkFactory {
  /** RMSProp's epsilon, DL4J's default. */
  private static final double RMSPROP_EPSILON = 1e-8;

  private NetworkFactory() {}

  /**
   * @param inputs the number of network inputs
   * @param outputs the number of classes, or 1 for a regression target
   */
  public static MultiLayerConfiguration configuration(ModelConfig model, Task task, int inputs, int outputs) {
    return configuration(model, task, inputs, outputs, Optional.empty());
  }

  /**
   * @param classWeights each class's weight in the cross-entropy, in label-index order (DL4J's
   *     weighted {@link LossMCXENT}); empty for equal weights
   */
  public static MultiLayerConfiguration configuration(
      ModelConfig model, Task task, int inputs, int outputs, Optional<double[]> classWeights) {
    if (classWeights.isPresent() && classWeights.get().length != outputs) {
      throw new IllegalArgumentException(classWeights.get().length + " class weights for " + outputs + " classes");
    }
    NeuralNetConfiguration.Builder base =
        new NeuralNetConfiguration.Builder().seed(model.seed()).updater(updater(model.updater())).weightInit(WeightInit.XAVIER);
    if (model.l2() > 0) {
      base.l2(model.l2());
    }
    NeuralNetConfiguration.ListBuilder list = base.list();
    int width = inputs;
    int index = 0;
    for (LayerSpec layer : model.layers()) {
      if (layer instanceof LayerSpec.Dense dense) {
        Activation activation = activation(dense.activation());
        list.layer(
            index++,
            new DenseLayer.Builder()
                .nIn(width)
                .nOut(dense.units())
                .activation(activation)
                .weightInit(isRectifier(activation) ? WeightInit.RELU : WeightInit.XAVIER)
                .build());
        width = dense.units();
      } else if (layer instanceof LayerSpec.Dropout dropout) {
        // DL4J's dropout argument is the probability of *retaining* an input.
        list.layer(index++, new DropoutLayer.Builder(1.0 - dropout.rate()).nIn(width).nOut(width).build());
      } else if (layer instanceof LayerSpec.BatchNorm) {
        list.layer(index++, new BatchNormalization.Builder().nIn(width).nOut(width).build());
      }
    }
    OutputLayer output =
        task == Task.CLASSIFICATION
            ? new OutputLayer.Builder(
                    classWeights.<org.nd4j.linalg.lossfunctions.ILossFunction>map(w -> new LossMCXENT(Nd4j.create(w).reshape(1, w.length).castTo(DataType.FLOAT)))
                        .orElseGet(LossMCXENT::new))
                .activation(Activation.SOFTMAX)
                .nIn(width)
                .nOut(outputs)
                .build()
            : new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY)
                .nIn(width)
                .nOut(1)
                .build();
    list.layer(index, output);
    return list.build();
  }

  /** A new, initialised network. */
  public static MultiLayerNetwork create(ModelConfig model, Task task, int inputs, int outputs) {
    return create(model, task, inputs, outputs, Optional.empty());
  }

  /** A new, initialised network whose loss weighs each class as {@code classWeights} says. */
  public static MultiLayerNetwork create(ModelConfig model, Task task, int inputs, int outputs, Optional<double[]> classWeights) {
    MultiLayerNetwork network = new MultiLayerNetwork(configuration(model, task, inputs, outputs, classWeights));
    network.init();
    return network;
  }

  static Activation activation(String name) {
    return Activation.valueOf(name.toUpperCase(Locale.ROOT));
  }

  private static boolean isRectifier(Activation a) {
    return a == Activation.RELU || a == Activation.LEAKYRELU || a == Activation.ELU || a == Activation.SELU;
  }

  private static IUpdater updater(UpdaterSpec spec) {
    return switch (spec.type()) {
      case ADAM -> new Adam(spec.learningRate());
      case SGD -> new Sgd(spec.learningRate());
      case NESTEROVS -> new Nesterovs(spec.learningRate(), spec.momentum());
      case RMSPROP -> new RmsProp(spec.learningRate(), spec.decay(), RMSPROP_EPSILON);
    };
  }
}
