package io.sparkfit.run;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ClassWeights;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.config.TrainingConfig;
import io.sparkfit.inputs.InputLayout;
import io.sparkfit.data.TrainingData;
import io.sparkfit.model.LearningRates;
import io.sparkfit.model.LossLayerOutput;
import io.sparkfit.model.ModelFiles;
import io.sparkfit.model.Network;
import io.sparkfit.model.NetworkFactory;
import io.sparkfit.model.NetworkJson;
import io.sparkfit.model.TrainedModel;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network a fresh run starts from: built from {@code model.layers}, or the user's own DL4J
 * configuration ({@code model.dl4j-configuration}), checked against the data; with new weights, or
 * with {@code model.init-from} a previous model's parameters (the nightly retrain on new data). The
 * previous model must read the same features the same way and predict the same classes, and have the
 * same layers; its updater state is not carried over. (The data is encoded with its feature spec and
 * scaling: see {@code TrainingData.load}.)
 */
final class InitialNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(InitialNetwork.class);

  private InitialNetwork() {}

  /** A network and which columns feed which of its inputs. */
  record Start(Network network, InputLayout layout) {}

  /**
   * @param previous the {@code model.init-from} model, already read
   * @param workers how many workers will train it: the learning rate of a network built from config
   *     scales with them as {@code training.learning-rate-scaling} says
   */
  static Start create(
      SparkfitConfig config,
      TrainingData data,
      Optional<double[]> classWeights,
      Optional<TrainedModel> previous,
      Configuration hadoop,
      int workers) {
    Start start = fresh(config, data, classWeights, hadoop, workers);
    if (previous.isPresent()) {
      start = startFrom(start, previous.get(), config.model().initFrom().orElseThrow(), data);
    }
    // DL4J's engine fits the minibatches itself, with the weights as the mask, which its loss applies
    // twice to a one-column output's gradient (LossLayerOutput); Sparkfit's engine fits such a network right.
    if (data.weighted() && data.labelIndex().outputs() == 1 && config.training().engine() == TrainingConfig.Engine.DL4J) {
      throw InvalidInputException.of(
          "Invalid training.engine: dl4j with data.weight-column %s and one output (DL4J's engine would weigh each row's gradient "
              + "by the square of its weight); use training.engine = averaging",
          config.data().weightColumn().orElseThrow());
    }
    // Weights ride in the labels mask, which only a LossLayer applies to the loss alone.
    if (data.weighted() && !LossLayerOutput.endsInLossLayer(start.network())) {
      LOG.info("Rows weigh by data.weight-column: the output layer becomes a dense layer and a loss layer, which weighs each row's loss");
      start = new Start(LossLayerOutput.of(start.network()), start.layout());
    }
    return start;
  }

  private static Start fresh(
      SparkfitConfig config, TrainingData data, Optional<double[]> classWeights, Configuration hadoop, int workers) {
    int outputs = data.labelIndex().outputs();
    TrainingConfig training = config.training();
    TrainingConfig.LearningRateScaling scaling = training.learningRateScaling();
    double factor = scaling.factor(workers);
    String how = String.format(
        Locale.ROOT, "x %.3g for %d workers (training.learning-rate-scaling = %s)", factor, workers, scaling.name().toLowerCase(Locale.ROOT));
    Optional<String> json = config.model().dl4jConfiguration();
    Start start;
    String source;
    if (json.isPresent()) {
      InvalidInputException.check(
          config.training().classWeights() instanceof ClassWeights.None,
          "Invalid config: training.class-weights = %s applies to networks built from model.layers; "
              + "model.dl4j-configuration %s brings its own loss (give its output layer a weighted loss instead)",
          config.training().classWeights(),
          json.get());
      source = "model.dl4j-configuration " + json.get();
      String text = ModelFiles.readText(json.get(), hadoop, "model.dl4j-configuration");
      NetworkJson.checkClasses(text, source);
      if (factor != 1) {
        LearningRates.Changed scaled = LearningRates.scaled(text, factor, source);
        text = scaled.json();
        LOG.info("Learning rates of {} {}: {}", source, how, scaled.rates());
      }
      NetworkJson.Loaded loaded = NetworkJson.load(text, source, data.task(), data.featureSpec(), outputs);
      LOG.info("Network from {}: inputs {}", source, loaded.layout().names());
      start = new Start(loaded.network(), loaded.layout());
    } else {
      source = "model.layers";
      ModelConfig model = config.model().withLearningRateTimes(factor);
      if (factor != 1) {
        LOG.info(
            "Learning rate {} {}: {}",
            config.model().updater().learningRate(),
            how,
            String.format(Locale.ROOT, "%.4g", model.updater().learningRate()));
      }
      Network network = NetworkFactory.create(model, data.task(), data.featureSpec(), outputs, classWeights);
      start = new Start(network, NetworkFactory.layout(config.model(), data.featureSpec()));
    }
    int warmup = training.learningRateWarmupEpochs();
    if (warmup == 0 || factor == 1) {
      return start;
    }
    LearningRates.Changed warmed = LearningRates.warmedUp(start.network().configurationJson(), 1 / factor, warmup, training.epochs(), source);
    LOG.info(
        "Learning-rate warm-up over {} epochs (training.learning-rate-warmup-epochs), from the one-worker rate to the scaled one: {}",
        warmup,
        warmed.rates());
    return new Start(NetworkJson.withConfiguration(start.network(), warmed.json(), source), start.layout());
  }

  private static Start startFrom(Start start, TrainedModel previous, String path, TrainingData data) {
    InvalidInputException.check(
        previous.featureSpec().equals(data.featureSpec()),
        "model.init-from %s reads %s (%d features), but this data has %s (%d features)",
        path, previous.featureSpec().describe(), previous.featureSpec().width(), data.featureSpec().describe(), data.featureSpec().width());
    InvalidInputException.check(
        previous.labelIndex().equals(data.labelIndex()),
        "model.init-from %s predicts %s %s, but this data's label index is %s %s",
        path, previous.labelIndex().kind(), previous.labelIndex().values(), data.labelIndex().kind(), data.labelIndex().values());
    // A model trained with data.weight-column ends in a loss layer (LossLayerOutput): so does the network it seeds.
    Network network = LossLayerOutput.endsInLossLayer(previous.network()) ? LossLayerOutput.of(start.network()) : start.network();
    start = new Start(network, start.layout());
    InvalidInputException.check(
        previous.network().numParams() == network.numParams() && previous.network().layerCount() == network.layerCount(),
        "model.init-from %s has %d layers and %d parameters, but the configured network has %d layers and %d parameters",
        path, previous.network().layerCount(), previous.network().numParams(), network.layerCount(), network.numParams());
    InvalidInputException.check(
        previous.layout().equals(start.layout()),
        "model.init-from %s takes inputs %s, but the configured network takes %s",
        path, previous.layout().names(), start.layout().names());
    network.setParams(previous.network().params());
    LOG.info("Starting from the parameters of {}", path);
    return start;
  }
}
