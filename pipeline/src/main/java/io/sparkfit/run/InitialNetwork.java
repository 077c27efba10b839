package io.sparkfit.run;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.data.TrainingData;
import io.sparkfit.model.NetworkFactory;
import io.sparkfit.model.TrainedModel;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network a fresh run starts from: new weights, or with {@code model.init-from} a previous
 * model's parameters (the nightly retrain on new data). The previous model must read the same
 * features and predict the same classes, and have the same layers; its updater state is not carried
 * over. (The data is encoded with its feature spec and scaling: see {@code TrainingData.load}.)
 */
final class InitialNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(InitialNetwork.class);

  private InitialNetwork() {}

  /** @param previous the {@code model.init-from} model, already read */
  static MultiLayerNetwork create(
      SparkfitConfig config, TrainingData data, Optional<double[]> classWeights, Optional<TrainedModel> previous) {
    MultiLayerNetwork network =
        NetworkFactory.create(
            config.model(), config.data().task(), data.featureSpec().width(), data.labelIndex().outputs(), classWeights);
    if (previous.isEmpty()) {
      return network;
    }
    String path = config.model().initFrom().orElseThrow();
    return startFrom(network, previous.get(), path, data);
  }

  private static MultiLayerNetwork startFrom(MultiLayerNetwork network, TrainedModel previous, String path, TrainingData data) {
    InvalidInputException.check(
        previous.featureSpec().equals(data.featureSpec()),
        "model.init-from %s reads %s (%d features), but this data has %s (%d features)",
        path, previous.featureSpec().describe(), previous.featureSpec().width(), data.featureSpec().describe(), data.featureSpec().width());
    InvalidInputException.check(
        previous.labelIndex().equals(data.labelIndex()),
        "model.init-from %s predicts %s %s, but this data's label index is %s %s",
        path, previous.labelIndex().kind(), previous.labelIndex().values(), data.labelIndex().kind(), data.labelIndex().values());
    int previousLayers = previous.network().getLayerWiseConfigurations().getConfs().size();
    int layers = network.getLayerWiseConfigurations().getConfs().size();
    InvalidInputException.check(
        previous.network().numParams() == network.numParams() && previousLayers == layers,
        "model.init-from %s has %d layers and %d parameters, but model.layers makes %d layers and %d parameters",
        path, previousLayers, previous.network().numParams(), layers, network.numParams());
    network.setParams(previous.network().params());
    LOG.info("Starting from the parameters of {}", path);
    return network;
  }
}
