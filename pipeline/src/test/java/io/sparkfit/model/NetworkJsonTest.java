package io.sparkfit.model;

import io.sparkfit.testing.Perceptrons;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Task;
import io.sparkfit.config.UpdaterSpec;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.InputLayout;
import io.sparkfit.testing.ExampleNetworks;
import io.sparkfit.testing.ForeignClass;
import io.sparkfit.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;

/** A user's DL4J JSON: foreign classes refused before any is loaded, and checked against the data with one-line errors. */
class NetworkJsonTest {
  private static final ModelConfig MLP =
      new ModelConfig(List.of(new LayerSpec.Dense(8, "relu")), new UpdaterSpec(UpdaterSpec.Type.ADAM, 0.01, 0.9, 0.95), 0, 3);
  private static final FeatureSpec SIX = new FeatureSpec(List.of(new InputColumn.Array("v", 6)));

  private static String mlpJson(int inputs, int outputs) {
    MultiLayerConfiguration conf = Perceptrons.configuration(MLP, Task.CLASSIFICATION, inputs, outputs);
    return conf.toJson();
  }

  @Test
  void aJsonNamingAClassOutsideDl4jIsRefusedByNameBeforeTheClassIsLoaded() {
    String hostile =
        mlpJson(6, 3).replaceFirst("\"org\\.nd4j\\.linalg\\.activations\\.impl\\.ActivationReLU\"", "\"" + ForeignClass.class.getName() + "\"");
    assertThat(hostile).contains(ForeignClass.class.getName());
    assertThat(System.getProperty(ForeignClass.LOADED_PROPERTY)).isNull();

    assertThatThrownBy(() -> NetworkJson.load(hostile, "model.dl4j-configuration net.json", Task.CLASSIFICATION, SIX, 3))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("model.dl4j-configuration net.json names class io.sparkfit.testing.ForeignClass at $.confs[0].layer")
        .hasMessageEndingWith("which is not one of DL4J's layer, vertex, loss, activation or updater classes; refused");
    assertThat(System.getProperty(ForeignClass.LOADED_PROPERTY)).as("initialised by the refused load").isNull();

    // The same text, read without the check, does make DL4J instantiate the class: the check is what stopped it.
    try {
      MultiLayerConfiguration.fromJson(hostile);
    } catch (RuntimeException expected) {
      // It is not an activation function, so DL4J fails after instantiating it.
    }
    assertThat(System.getProperty(ForeignClass.LOADED_PROPERTY)).isEqualTo("true");
  }

  @Test
  void aTypeIdWrittenAsAnArrayIsCheckedToo() {
    String wrapped = "{\"confs\": [{\"layer\": [\"com.example.Gadget\", {}]}]}";
    assertThatThrownBy(() -> NetworkJson.checkClasses(wrapped, "net.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("net.json names class com.example.Gadget at $.confs[0].layer[0]");
  }

  @Test
  void aStackOrAGraphFromDl4jsToJsonIsReadAndItsInputsLaidOut() {
    NetworkJson.Loaded stack = NetworkJson.load(mlpJson(6, 3), "net.json", Task.CLASSIFICATION, SIX, 3);
    assertThat(stack.network()).isInstanceOf(Network.LayerStack.class);
    assertThat(stack.layout()).isEqualTo(InputLayout.single(SIX, NetworkFactory.FEATURES_INPUT));

    FeatureSpec orders =
        new FeatureSpec(
            List.of(
                new InputColumn.Categorical("merchant", java.util.Collections.nCopies(1, "m").stream()
                    .flatMap(m -> java.util.stream.IntStream.range(0, ExampleNetworks.MERCHANT_INPUTS - 2).mapToObj(i -> "m" + i))
                    .toList()),
                new InputColumn.Categorical("category", java.util.stream.IntStream.range(0, 24).mapToObj(i -> "c" + i).toList()),
                new InputColumn.Numeric("amount", 0.0, false),
                new InputColumn.Numeric("hour", 0.0, false)));
    NetworkJson.Loaded graph = NetworkJson.load(ExampleNetworks.ordersGraph().toJson(), "graph.json", Task.CLASSIFICATION, orders, 2);
    assertThat(graph.network()).isInstanceOf(Network.Graph.class);
    assertThat(graph.layout().inputs())
        .containsExactly(
            new InputLayout.Embedding("merchant", "merchant"),
            new InputLayout.Columns("features", List.of("category", "amount", "hour")));
  }

  @Test
  void aJsonThatDoesNotFitTheDataIsRefusedInOneLine() {
    assertThatThrownBy(() -> NetworkJson.load(mlpJson(5, 3), "net.json", Task.CLASSIFICATION, SIX, 3))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("net.json: the first layer takes 5 inputs, but the data makes 6 (feature column 'v')");
    assertThatThrownBy(() -> NetworkJson.load(mlpJson(6, 4), "net.json", Task.CLASSIFICATION, SIX, 3))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("net.json has 4 outputs, but the data has 3 classes");
    assertThatThrownBy(() -> NetworkJson.load(mlpJson(6, 2), "net.json", Task.REGRESSION, SIX, 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("net.json has loss LossMCXENT, which does not fit data.task = regression");
    FeatureSpec image = new FeatureSpec(List.of(new InputColumn.Array("pixels", 64, List.of(1, 8, 8))));
    String cnn =
        NetworkFactory.create(
                new ModelConfig(
                    List.of(new LayerSpec.Conv2d(4, List.of(3, 3), List.of(1, 1), List.of(0, 0), false, "relu")),
                    MLP.updater(), 0, 3),
                Task.CLASSIFICATION,
                new FeatureSpec(List.of(new InputColumn.Array("pixels", 100, List.of(1, 10, 10)))),
                3,
                java.util.Optional.empty())
            .configurationJson();
    assertThatThrownBy(() -> NetworkJson.load(cnn, "cnn.json", Task.CLASSIFICATION, image, 3))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("cnn.json does not take this data's inputs (feature column 'pixels' as [rows, 64]): ");
  }

  @Test
  void theExampleGraphInConfIsWhatDl4jsBuildersWrite() throws IOException {
    Path file = Repo.conf("networks/orders-graph.json");
    String json = ExampleNetworks.ordersGraph().toJson();
    if (Boolean.getBoolean("sparkfit.samples.write")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, json + "\n");
    }
    assertThat(Files.readString(file).strip()).isEqualTo(json.strip());
  }
}
