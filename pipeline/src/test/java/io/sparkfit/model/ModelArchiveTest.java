package io.sparkfit.model;

import io.sparkfit.testing.Perceptrons;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.LayerSpec;
import io.sparkfit.config.ModelConfig;
import io.sparkfit.config.Normalization;
import io.sparkfit.config.Task;
import io.sparkfit.config.UpdaterSpec;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.LabelColumn;
import io.sparkfit.inputs.LabelIndex;
import io.sparkfit.inputs.LabelKind;
import io.sparkfit.inputs.ModelInputs;
import io.sparkfit.inputs.Normalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import io.sparkfit.inputs.InputLayout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ModelArchiveTest {
  private static final ModelConfig MODEL =
      new ModelConfig(
          List.of(new LayerSpec.Dense(8, "relu"), new LayerSpec.BatchNorm(), new LayerSpec.Dropout(0.2)),
          new UpdaterSpec(UpdaterSpec.Type.ADAM, 0.01, 0.9, 0.95),
          0.0,
          3);

  private static TrainedModel trainedModel() {
    MultiLayerNetwork network = Perceptrons.create(MODEL, Task.CLASSIFICATION, 7, 3);
    // A few steps so the updater state is not all zeros.
    INDArray x = Nd4j.rand(new int[] {16, 7}, 20261201L);
    INDArray y = Nd4j.zeros(16, 3);
    for (int i = 0; i < 16; i++) {
      y.putScalar(i, i % 3, 1);
    }
    for (int i = 0; i < 3; i++) {
      network.fit(new DataSet(x, y));
    }
    FeatureSpec features =
        new FeatureSpec(
            List.of(
                new InputColumn.Numeric("a", 1.5, true),
                new InputColumn.Numeric("b", null, false),
                new InputColumn.Categorical("c", List.of("red", "blue"))));
    return new TrainedModel(
        Network.of(network),
        new ModelInputs(
            Task.CLASSIFICATION,
            features,
            InputLayout.single(features, NetworkFactory.FEATURES_INPUT),
            new LabelColumn("species", "string"),
            LabelIndex.of(LabelKind.STRING_CLASS, List.of("setosa", "virginica", "versicolor")),
            new Normalizer(Normalization.STANDARD, new double[] {1, 0, 3, 0, 0, 0, 0}, new double[] {0.5, 1, 2, 1, 1, 1, 1}, 0, 1),
            new io.sparkfit.inputs.MetricColumns(
                java.util.Optional.of("w"), List.of(new io.sparkfit.inputs.MetricColumns.SliceColumn("country", List.of("de", "fr"))))),
        true,
        java.util.Optional.empty());
  }

  private static byte[] bytes(TrainedModel model) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelArchive.write(model, out);
    return out.toByteArray();
  }

  @Test
  void roundTripsTheNetworkUpdaterAndSidecars() throws IOException, ClassNotFoundException {
    TrainedModel model = trainedModel();
    TrainedModel read = ModelArchive.read(new ByteArrayInputStream(bytes(model)), "model.zip");
    assertThat(read.network().params()).isEqualTo(model.network().params());
    assertThat(read.network().updaterState()).isEqualTo(model.network().updaterState());
    INDArray[] probe = {Nd4j.rand(new int[] {5, 7}, 20261202L)};
    assertThat(read.network().output(probe, null)).isEqualTo(model.network().output(probe, null));
    assertThat(read.layout()).isEqualTo(model.layout());
    assertThat(read.task()).isEqualTo(Task.CLASSIFICATION);
    assertThat(read.featureSpec()).isEqualTo(model.featureSpec());
    assertThat(read.labelIndex()).isEqualTo(model.labelIndex());
    assertThat(read.labelIndex().values()).containsExactly("setosa", "versicolor", "virginica");
    assertThat(read.normalizer()).isEqualTo(model.normalizer());
    assertThat(read.labelColumn()).isEqualTo(new LabelColumn("species", "string"));
    assertThat(read.inputs().metricColumns()).isEqualTo(model.inputs().metricColumns());
    // The inputs travel to executors in Spark tasks.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(read.inputs());
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(((io.sparkfit.inputs.ModelInputs) in.readObject()).metricColumns()).isEqualTo(model.inputs().metricColumns());
    }
    assertThat(read.dropInvalid()).isTrue();
  }

  @Test
  void keepsNumericLabelTypes() throws IOException {
    TrainedModel base = trainedModel();
    for (LabelIndex index :
        List.of(LabelIndex.of(LabelKind.INT_CLASS, List.of(3, 1, 2)), LabelIndex.of(LabelKind.DOUBLE_CLASS, List.of(1.0, 0.0, 2.0)))) {
      TrainedModel model =
          new TrainedModel(
              base.network(),
              new ModelInputs(base.task(), base.featureSpec(), base.layout(), base.labelColumn(), index, base.normalizer(), base.inputs().metricColumns()),
              false,
              java.util.Optional.empty());
      assertThat(ModelArchive.read(new ByteArrayInputStream(bytes(model)), "m").labelIndex()).isEqualTo(index);
    }
  }

  /** Rewrites an archive: the given entry replaced (or added) with the given bytes. */
  private static byte[] withEntry(byte[] archive, String name, byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> seen = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(archive));
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        seen.add(e.getName());
        zip.putNextEntry(new ZipEntry(e.getName()));
        zip.write(e.getName().equals(name) ? content : in.readAllBytes());
        zip.closeEntry();
      }
      if (!seen.contains(name)) {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] javaSerialized(Object o) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
      oos.writeObject(o);
    }
    return out.toByteArray();
  }

  @Test
  void refusesDl4jEntriesThatHoldJavaSerializedObjects() throws IOException {
    byte[] archive = bytes(trainedModel());
    for (String entry : List.of("preprocessor.bin", "objects/anything", "normalizer.bin")) {
      byte[] hostile = withEntry(archive, entry, javaSerialized(new ArrayList<>(List.of("x"))));
      assertThatThrownBy(() -> ModelArchive.read(new ByteArrayInputStream(hostile), "hostile.zip"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage(
              "model hostile.zip has entry '" + entry
                  + "', which Sparkfit does not read; refused, since it may hold Java-serialized objects");
    }
  }

  @Test
  void refusesJavaSerializedBytesInAKnownEntry() throws IOException {
    byte[] hostile = withEntry(bytes(trainedModel()), "coefficients.bin", javaSerialized("payload"));
    assertThatThrownBy(() -> ModelArchive.read(new ByteArrayInputStream(hostile), "hostile.zip"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("model hostile.zip has Java-serialized data in entry 'coefficients.bin'; refused");
  }

  @Test
  void refusesAPlainDl4jModelWithoutSparkfitEntries() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    org.deeplearning4j.util.ModelSerializer.writeModel(trainedModel().network().model(), out, false);
    assertThatThrownBy(() -> ModelArchive.read(new ByteArrayInputStream(out.toByteArray()), "plain.zip"))
        .hasMessage("model plain.zip has no entry 'sparkfit/model.json': not a Sparkfit model");
  }

  private static Provenance provenance() {
    ObjectMapper json = new ObjectMapper();
    return new Provenance(
        json.createObjectNode().put("seed", 3),
        java.util.Map.of(
            "data.train", new Provenance.Input("hdfs://nn/iris", 120, 0, 120, null, null),
            "data.validation", new Provenance.Input("hdfs://nn/iris", 30, 2, 28, 0.2, 42L)),
        List.of(
            new ColumnSummary("a", "numeric", "double", 3, 1.5, 0.2, 0.0, 3.0, "mean", 1.5, true, null, null, null, null, null),
            new ColumnSummary(
                "c", "categorical", "string", 1, null, null, null, null, null, null, null, 3L, 2,
                List.of(new ColumnSummary.ValueCount("red", 80), new ColumnSummary.ValueCount("blue", 30)), 9L, null)),
        new Provenance.ModelSummary(
            "classification", List.of("a", "b", "c"), 7, List.of("setosa", "virginica", "versicolor"), "standard", 99,
            java.util.Map.of("setosa", 1.0, "virginica", 2.5, "versicolor", 0.5)),
        java.util.Map.of("sparkfit", "0.1.0"),
        "abc123",
        "app-1",
        "local[2]",
        "2026-11-23T10:00:00Z",
        "2026-11-23T10:01:00Z",
        new io.sparkfit.inputs.DriftReference(
            150,
            List.of(new io.sparkfit.inputs.DriftReference.TableColumn("a", "double")),
            "species",
            java.util.Map.of("setosa", 50L, "virginica", 100L),
            List.of(
                new io.sparkfit.inputs.DriftReference.Column(
                    "a", "numeric", "double", 147, 3,
                    new io.sparkfit.inputs.DriftReference.Buckets(0.001, null, List.of(100001, 100010), List.of(100L, 47L), List.of(1.01, 1.1)),
                    new io.sparkfit.inputs.DriftReference.Bins(List.of(1.01, 1.1), List.of(100001, 100010), List.of(100L, 47L)),
                    null))));
  }

  @Test
  void provenanceTravelsInsideTheArchive() throws IOException {
    TrainedModel model = trainedModel().withProvenance(provenance());
    TrainedModel read = ModelArchive.read(new ByteArrayInputStream(bytes(model)), "with-provenance.zip");
    assertThat(read.provenance()).contains(provenance());
    assertThat(ModelArchive.read(new ByteArrayInputStream(bytes(trainedModel())), "in-training.zip").provenance()).isEmpty();
  }

  @Test
  void readsFormatVersions2And3AndRefusesAVersionItDoesNotKnow() throws IOException {
    byte[] archive = bytes(trainedModel());
    ObjectNode info = (ObjectNode) new ObjectMapper().readTree(entry(archive, ModelArchive.MODEL_INFO));
    assertThat(info.get("format-version").asInt()).isEqualTo(7);

    // Formats 2 and 3 wrote the feature spec as a layout: numeric columns, or one array or vector column.
    byte[] version2 =
        withEntry(
            withEntry(archive, ModelArchive.MODEL_INFO, new ObjectMapper().writeValueAsBytes(info.put("format-version", 2))),
            ModelArchive.FEATURE_SPEC,
            "{\"layout\":\"VECTOR\",\"columns\":[\"features\"],\"width\":7}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    TrainedModel old = ModelArchive.read(new ByteArrayInputStream(version2), "yesterday.zip");
    assertThat(old.provenance()).isEmpty();
    assertThat(old.network().params()).isEqualTo(trainedModel().network().params());
    assertThat(old.featureSpec()).isEqualTo(new FeatureSpec(List.of(new InputColumn.Array("features", 7))));
    byte[] version3 =
        withEntry(
            withEntry(archive, ModelArchive.MODEL_INFO, new ObjectMapper().writeValueAsBytes(info.put("format-version", 3))),
            ModelArchive.FEATURE_SPEC,
            "{\"layout\":\"COLUMNS\",\"columns\":[\"a\",\"b\"],\"width\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(ModelArchive.read(new ByteArrayInputStream(version3), "last-week.zip").featureSpec())
        .isEqualTo(new FeatureSpec(List.of(new InputColumn.Numeric("a", null, false), new InputColumn.Numeric("b", null, false))));

    byte[] future = withEntry(archive, ModelArchive.MODEL_INFO, new ObjectMapper().writeValueAsBytes(info.put("format-version", 99)));
    assertThatThrownBy(() -> ModelArchive.read(new ByteArrayInputStream(future), "future.zip"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("model future.zip has format version 99; this Sparkfit reads versions [2, 3, 4, 5, 6, 7]");
  }

  @Test
  void aTruncatedOrCorruptArchiveNamesTheFileAndTheEntry() throws IOException {
    byte[] archive = bytes(trainedModel());
    byte[] coefficients = entry(archive, "coefficients.bin");
    byte[] halfCoefficients = withEntry(archive, "coefficients.bin", java.util.Arrays.copyOf(coefficients, coefficients.length / 2));
    assertThatThrownBy(() -> ModelArchive.read(new ByteArrayInputStream(halfCoefficients), "/models/m/model.zip"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("model /models/m/model.zip: entry 'coefficients.bin' is truncated or corrupt (EOFException");
    // The file itself cut short: the zip ends inside an entry.
    byte[] cut = java.util.Arrays.copyOf(archive, archive.length / 2);
    assertThatThrownBy(() -> ModelArchive.read(new ByteArrayInputStream(cut), "/models/m/model.zip"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageMatching("model /models/m/model\\.zip is truncated or corrupt in entry '[a-zA-Z/.-]+' \\(\\w+(Exception)?.*\\)");
    byte[] brokenJson = withEntry(archive, "sparkfit/normalizer.json", "{\"shift\": [1, 2".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ModelArchive.read(new ByteArrayInputStream(brokenJson), "m.zip"))
        .hasMessageStartingWith("model m.zip: entry 'sparkfit/normalizer.json' is truncated or corrupt (");
  }

  private static byte[] entry(byte[] archive, String name) throws IOException {
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals(name)) {
          return in.readAllBytes();
        }
      }
    }
    throw new AssertionError("no entry " + name);
  }
}
