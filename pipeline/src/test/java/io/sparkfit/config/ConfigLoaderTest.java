package io.sparkfit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final String MINIMAL =
      """
      data { train = "data/train", features = [a, b], label = y }
      """;

  private static SparkfitConfig load(String hocon, String... overrides) {
    return ConfigLoader.parse(hocon, List.of(overrides)).config();
  }

  @Test
  void appliesDefaultsToAMinimalConfig() {
    SparkfitConfig c = load(MINIMAL);
    assertThat(c.data().train()).isEqualTo("data/train");
    assertThat(c.data().validation()).isEmpty();
    assertThat(c.data().validationFraction()).isEqualTo(0.1);
    assertThat(c.data().featureNames()).containsExactly("a", "b");
    assertThat(c.data().task()).isEqualTo(Task.CLASSIFICATION);
    assertThat(c.data().normalize()).isEqualTo(Normalization.STANDARD);
    assertThat(c.data().dropInvalid()).isFalse();
    assertThat(c.model().layers()).containsExactly(new LayerSpec.Dense(128, "relu"));
    assertThat(c.model().updater().type()).isEqualTo(UpdaterSpec.Type.ADAM);
    assertThat(c.model().updater().learningRate()).isEqualTo(0.001);
    assertThat(c.model().seed()).isEqualTo(42);
    assertThat(c.training().epochs()).as("the most epochs, early stopping ending most runs before").isEqualTo(200);
    assertThat(c.training().workers()).isEqualTo(TrainingConfig.AUTO_WORKERS);
    assertThat(c.training().autoWorkers()).isTrue();
    assertThat(c.training().earlyStopping())
        .as("with the default validation split, stop on its loss")
        .isEqualTo(new EarlyStopping.OnMetric(EarlyStopping.AUTO_METRIC, EarlyStopping.Mode.MIN, 10, 0));
    assertThat(c.metrics().names()).containsExactly(Metric.ACCURACY, Metric.F1);
    assertThat(c.output()).isEqualTo(new OutputConfig("out/sparkfit", false));
    assertThat(c.spark().master()).isEqualTo("local[*]");
    assertThat(c.spark().conf()).isEmpty();
  }

  @Test
  void readsEveryKeyOfAFullConfig() {
    SparkfitConfig c =
        load(
            """
            data {
              train = "hdfs://nn/train", validation = "s3a://bucket/val", validation-fraction = 0
              features = [v], label = target, task = regression, normalize = min-max, drop-invalid = true
            }
            model {
              layers = [ { type = dense, units = 8, activation = tanh }, { type = batch-norm }, { type = dropout, rate = 0.25 } ]
              updater { type = nesterovs, learning-rate = 0.1, momentum = 0.8 }
              l2 = 0.0001
              seed = 7
            }
            training { epochs = 3, batch-size-per-worker = 16, averaging-frequency = 2, workers = 4, threads-per-task = 2 }
            output { dir = "/tmp/out", overwrite = true }
            spark { master = "local[2]", conf { "spark.executor.memory" = 2g, spark.sql.shuffle.partitions = 8 } }
            """);
    assertThat(c.data().validation()).contains("s3a://bucket/val");
    assertThat(c.data().task()).isEqualTo(Task.REGRESSION);
    assertThat(c.data().normalize()).isEqualTo(Normalization.MIN_MAX);
    assertThat(c.data().dropInvalid()).isTrue();
    assertThat(c.model().layers())
        .containsExactly(new LayerSpec.Dense(8, "tanh"), new LayerSpec.BatchNorm(), new LayerSpec.Dropout(0.25));
    assertThat(c.model().updater()).isEqualTo(new UpdaterSpec(UpdaterSpec.Type.NESTEROVS, 0.1, 0.8, 0.95));
    assertThat(c.model().l2()).isEqualTo(0.0001);
    assertThat(c.training())
        .usingRecursiveComparison()
        .ignoringFields("earlyStopping")
        .isEqualTo(new TrainingConfig(TrainingConfig.Engine.AVERAGING, 3, 16, 2, 4, 2, 0));
    assertThat(c.metrics().names()).containsExactly(Metric.MSE, Metric.R2);
    assertThat(c.training().earlyStopping())
        .as("validation-fraction = 0 but data.validation is given")
        .isInstanceOf(EarlyStopping.OnMetric.class);
    assertThat(c.spark().conf())
        .containsEntry("spark.executor.memory", "2g")
        .containsEntry("spark.sql.shuffle.partitions", "8");
  }

  @Test
  void earlyStoppingAutoWatchesTheValidationLossOrSaysWhyItCannot() {
    assertThat(load(MINIMAL, "training.early-stopping.patience=4").training().earlyStopping())
        .isEqualTo(new EarlyStopping.OnMetric(EarlyStopping.AUTO_METRIC, EarlyStopping.Mode.MIN, 4, 0));
    assertThat(load(MINIMAL, "metrics.mode=fast").training().earlyStopping())
        .isEqualTo(new EarlyStopping.Off("training.early-stopping.metric = auto, but metrics.mode = fast computes no validation loss: every epoch runs"));
    assertThat(load(MINIMAL, "data.validation-fraction=0").training().earlyStopping())
        .isEqualTo(
            new EarlyStopping.Off(
                "training.early-stopping.metric = auto, but there is no validation data (no data.validation, "
                    + "data.validation-fraction = 0): every epoch runs"));
    assertThat(load(MINIMAL, "training.early-stopping.metric=none", "training.epochs=7").training())
        .as("none trains exactly training.epochs, as before")
        .satisfies(t -> {
          assertThat(t.earlyStopping()).isEqualTo(EarlyStopping.off());
          assertThat(t.epochs()).isEqualTo(7);
        });
    assertThat(load(MINIMAL, "training.workers=3").training().workers()).isEqualTo(3);
  }

  @Test
  void overridesWinOverTheFileAndTakeTypedValues() {
    SparkfitConfig c =
        load(
            MINIMAL,
            "training.epochs=3",
            "output.dir=/tmp/x",
            "data.train=hdfs://namenode:8020/data/train",
            "data.features=[c1, c2, c3]",
            "output.overwrite=true");
    assertThat(c.training().epochs()).isEqualTo(3);
    assertThat(c.output().dir()).isEqualTo("/tmp/x");
    assertThat(c.data().train()).isEqualTo("hdfs://namenode:8020/data/train");
    assertThat(c.data().featureNames()).containsExactly("c1", "c2", "c3");
    assertThat(c.output().overwrite()).isTrue();
  }

  @Test
  void rejectsUnknownKeysByNameWithASuggestion() {
    assertThatThrownBy(() -> load(MINIMAL, "training.epoch=3"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Unknown config key training.epoch; did you mean training.epochs?");
    assertThatThrownBy(() -> load(MINIMAL + "\nmodle { seed = 1 }"))
        .hasMessageStartingWith("Unknown config key modle.seed");
  }

  @Test
  void rejectsUnknownKeysInsideALayer() {
    assertThatThrownBy(() -> load(MINIMAL, "model.layers=[{type = dropout, rate = 0.1, units = 4}]"))
        .hasMessage("Unknown config key model.layers[0].units for a dropout layer (allowed: [rate, type])");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "training.epochs=0|Invalid training.epochs: 0 (must be > 0)",
        "training.epochs=ten|Invalid training.epochs: \"ten\" (must be a whole number)",
        "training.batch-size-per-worker=-1|Invalid training.batch-size-per-worker: -1 (must be > 0)",
        "training.averaging-frequency=0|Invalid training.averaging-frequency: 0 (must be > 0)",
        "training.workers=-2|Invalid training.workers: -2 (must be auto, 0 for as many as the executors have task slots, or a number of workers)",
        "training.workers=some|Invalid training.workers: \"some\" (must be auto, 0 for every task slot, or a number of workers)",
        "training.threads-per-task=-1|Invalid training.threads-per-task: -1 (must be >= 0; 0 = spark.task.cpus)",
        "data.validation-fraction=1|Invalid data.validation-fraction: 1.0 (must be in [0, 1))",
        "data.task=ranking|Invalid data.task: ranking (must be one of classification, regression)",
        "data.normalize=zscore|Invalid data.normalize: zscore (must be one of standard, min-max, none)",
        "data.drop-invalid=maybe|Invalid data.drop-invalid: \"maybe\" (must be true or false)",
        "data.features=[]|Invalid data.features: [] (must name at least one column)",
        "data.features=[a, a]|Invalid data.features: [a, a] (column 'a' listed twice)",
        "data.label=a|Invalid config: data.label 'a' is also listed in data.features [a, b]",
        "model.l2=-1|Invalid model.l2: -1.0 (must be >= 0)",
        "model.updater.type=adagrad|Invalid model.updater.type: adagrad (must be one of adam, sgd, nesterovs, rmsprop)",
        "model.updater.learning-rate=0|Invalid model.updater.learning-rate: 0.0 (must be > 0)",
        "model.updater.momentum=0.5|Invalid config: model.updater.momentum applies only when model.updater.type = nesterovs (found adam)",
        "model.layers=[{type = dense, units = 0}]|Invalid model.layers[0].units: 0 (must be > 0)",
        "model.layers=[{type = dense, units = 4, activation = softmax}]|Invalid model.layers[0].activation: softmax (must be one of [elu, gelu, identity, leakyrelu, relu, selu, sigmoid, softplus, swish, tanh])",
        "model.layers=[{type = dropout, rate = 1.5}]|Invalid model.layers[0].rate: 1.5 (must be in (0, 1))",
        "model.layers=[{type = conv}]|Invalid model.layers[0].type: conv (must be one of dense, dropout, batch-norm, conv2d, subsampling, global-pooling, lstm)",
        "model.layers=[{type = batch-norm}]|Invalid model.layers[0]: batch-norm must follow a dense or conv2d layer",
        "model.layers=[{units = 3}]|Missing model.layers[0].type (dense, dropout, batch-norm, conv2d, subsampling, global-pooling, lstm)",
        "model.layers=[{type = conv2d, filters = 4, kernel = [3]}]|Invalid model.layers[0].kernel: [3] (must be two integers in [1, 1000], [rows, columns])",
        "model.layers=[{type = conv2d, filters = 4, kernel = [3, 3], padding = full}]|Invalid model.layers[0].padding: full (must be same or [rows, columns])",
        "model.layers=[{type = subsampling, pooling = median}]|Invalid model.layers[0].pooling: median (must be one of max, avg)",
        "model.layers=[{type = lstm, units = 0}]|Invalid model.layers[0].units: 0 (must be > 0)",
        "model.embeddings.merchant=0|Invalid model.embeddings.\"merchant\": 0 (must be the number of dimensions, in [1, 10000])",
        "model.embeddings.merchant=1.5|Invalid model.embeddings.\"merchant\": 1.5 (must be the number of dimensions, an integer)",
        "model.updater.schedule.type=cosine|Invalid model.updater.schedule.type: cosine (must be none, step, exponential or poly)",
        "model.updater.schedule.type=exponential|Missing required config key model.updater.schedule.gamma",
        "model.updater.schedule={type = step, gamma = 1.5, every-epochs = 2}|Invalid model.updater.schedule.gamma: 1.5 (must be in (0, 1))",
        "model.updater.schedule={type = poly, gamma = 0.5}|Invalid config: model.updater.schedule.gamma does not apply to model.updater.schedule.type = poly",
        "model.gradient-clipping.type=clip|Invalid model.gradient-clipping.type: clip (must be one of none, clip-value, clip-l2-per-layer, clip-l2-per-param-type, renormalize-l2-per-layer, renormalize-l2-per-param-type)",
        "model.gradient-clipping.threshold=0|Invalid model.gradient-clipping.threshold: 0.0 (must be > 0)",
        "model.weight-decay=-1|Invalid model.weight-decay: -1.0 (must be >= 0)",
        "data.features=[{column = a, shape = [1, 28]}]|Invalid shape of data.features 'a': [1, 28] (must be [channels, height, width], each > 0 and at most 100000)",
        "data.features=[{column = a, scale = per-pixel}]|Invalid data.features[0].scale: per-pixel (must be one of auto, per-column, per-element)",
        "model.layers=dense|Invalid model.layers: \"dense\" (must be a list of objects such as { type = dense, units = 64 })",
        "output.dir=\"\"|Invalid output.dir: \"\" (must not be blank)",
        "spark.conf=3|Invalid spark.conf: must be an object of Spark settings",
        "epochs|Invalid override 'epochs' (expected key=value, e.g. training.epochs=3)",
        "metrics.mode=quick|Invalid metrics.mode: quick (must be one of full, validation, fast)",
        "metrics.names=[accuracy, kappa]|Invalid metrics.names: unknown metric kappa (known: [loss, accuracy, top-k-accuracy, precision, recall, f1, precision-micro, recall-micro, f1-micro, precision-weighted, recall-weighted, f1-weighted, auc, auc-pr, log-loss, confusion-matrix])",
        "metrics.names=[r2]|Invalid metrics.names: r2 does not fit data.task = classification (metrics for it: [loss, accuracy, top-k-accuracy, precision, recall, f1, precision-micro, recall-micro, f1-micro, precision-weighted, recall-weighted, f1-weighted, auc, auc-pr, log-loss, confusion-matrix])",
        "metrics.names=[f1, f1]|Invalid metrics.names: [f1, f1] (a metric listed twice)",
        "metrics.auc-bins=1|Invalid metrics.auc-bins: 1 (must be >= 2)",
        "metrics.every-epochs=0|Invalid metrics.every-epochs: 0 (must be > 0)",
        "metrics.top-k=0|Invalid metrics.top-k: 0 (must be >= 1)",
        "data.features=[a, {kind = categorical}]|Missing data.features[1].column (the column's name)",
        "data.features=[a, {column = b, buckets = 3}]|Unknown config key data.features[1].buckets (allowed: [column, constant, format, impute, kind, max-categories, max-distinct, min-frequency, missing-indicator, parts, scale, shape, time-zone])",
        "data.features=[a, {column = b, kind = text}]|Invalid data.features[1].kind: text (must be one of auto, numeric, categorical, datetime)",
        "data.features=[a, {column = t, kind = datetime, format = \"yyyy-MM-dd bb\"}]|Invalid data.features[1].format: \"yyyy-MM-dd bb\" (Unknown pattern letter: b)",
        "data.features=[a, {column = t, kind = datetime, time-zone = Mars/Olympus}]|Invalid data.features[1].time-zone: \"Mars/Olympus\" (a zone such as UTC, Europe/Berlin or +02:00)",
        "data.features=[a, {column = t, kind = datetime, parts = [hour, minute]}]|Invalid data.features[1].parts: \"minute\" (allowed: hour, weekday, yearday, elapsed)",
        "data.features=[a, {column = t, kind = datetime, parts = []}]|Invalid data.features[1].parts: [] (name at least one of hour, weekday, yearday, elapsed)",
        "data.features=[a, {column = t, kind = numeric, format = \"yyyy\"}]|Invalid data.features 't': format, time-zone and parts apply to a date or time column, not kind = numeric",
        "data.features=[a, {column = b, impute = mode}]|Invalid data.features[1].impute: mode (must be one of mean, median, constant, none)",
        "data.features=[a, {column = b, max-categories = 0}]|Invalid data.features[1].max-categories: 0 (must be >= 1)",
        "data.features=[a, 3]|Invalid data.features[1]: 3 (must be a column name or an object such as { column = country, kind = categorical })",
        "data.features=[a, {column = a}]|Invalid data.features: [a, a] (column 'a' listed twice)",
        "data.categorical.max-categories=200000|Invalid data.categorical.max-categories: 200000 (must be <= 100000)",
        "data.categorical.min-frequency=0|Invalid data.categorical.min-frequency: 0 (must be >= 1)",
        "data.categorical.max-distinct=0|Invalid data.categorical.max-distinct: 0 (must be in [1, 100000])",
        "data.missing.impute=zero|Invalid data.missing.impute: zero (must be one of mean, median, constant, none)",
        "training.class-weights=heavy|Invalid training.class-weights: \"heavy\" (must be none, balanced or { \"<class>\" = <weight>, ... })",
        "training.class-weights={a = 0}|Invalid training.class-weights.\"a\": 0.0 (must be > 0)",
        "training.class-weights={a = many}|Invalid training.class-weights.\"a\": \"many\" (must be a number)",
      })
  void rejectsInvalidValuesNamingTheKeyAndValue(String override, String message) {
    assertThatThrownBy(() -> load(MINIMAL, override)).isInstanceOf(InvalidInputException.class).hasMessage(message);
  }

  @Test
  void aUsersDl4jConfigurationReplacesTheLayersAndRefusesSettingsItWouldIgnore() {
    SparkfitConfig c = load(MINIMAL, "model.dl4j-configuration=\"conf/networks/net.json\"");
    assertThat(c.model().dl4jConfiguration()).hasValue("conf/networks/net.json");
    assertThat(c.model().layers()).isEmpty();
    assertThatThrownBy(() -> load(MINIMAL, "model.dl4j-configuration=net.json", "model.layers=[{type = dense, units = 4}]"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Invalid config: model.dl4j-configuration (net.json) and model.layers both describe the network; the JSON sets layers, give one");
    assertThatThrownBy(() -> load(MINIMAL, "model.dl4j-configuration=net.json", "model.updater.learning-rate=0.1"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Invalid config: model.dl4j-configuration (net.json) and model.updater both describe the network; the JSON sets updater, give one");
  }

  @Test
  void trainingOptionsAndNewLayersAreRead() {
    SparkfitConfig c =
        load(
            MINIMAL,
            "model.layers=[{type = conv2d, filters = 8, kernel = [3, 3], padding = same}, {type = subsampling}, "
                + "{type = global-pooling, pooling = avg}, {type = dense, units = 4}]",
            "model.updater.schedule={type = step, gamma = 0.5, every-epochs = 3}",
            "model.gradient-clipping={type = clip-l2-per-layer, threshold = 2}",
            "model.weight-decay=0.0001",
            "data.features=[{column = merchant, kind = categorical}, {column = pixels, shape = [1, 4, 4]}]");
    assertThat(c.model().layers())
        .containsExactly(
            new LayerSpec.Conv2d(8, List.of(3, 3), List.of(1, 1), List.of(0, 0), true, "relu"),
            new LayerSpec.Subsampling(LayerSpec.Pooling.MAX, List.of(2, 2), List.of(2, 2)),
            new LayerSpec.GlobalPooling(LayerSpec.Pooling.AVG),
            new LayerSpec.Dense(4, "relu"));
    assertThat(c.model().updater().schedule()).isEqualTo(new LearningRateSchedule.Step(0.5, 3));
    assertThat(c.model().gradientClipping()).isEqualTo(new GradientClipping(GradientClipping.Type.CLIP_L2_PER_LAYER, 2));
    assertThat(c.model().weightDecay()).isEqualTo(1e-4);
    assertThat(c.data().features().get(1).shape()).containsExactly(1, 4, 4);
    assertThat(load(MINIMAL, "model.embeddings={merchant = 8}").model().embeddings()).containsExactly(java.util.Map.entry("merchant", 8));
  }

  @Test
  void featuresAreNamesOrObjectsThatOverrideTheDefaultsForOneColumn() {
    SparkfitConfig c =
        load(
            MINIMAL,
            "data.features=[a, {column = country, max-categories = 50}, {column = age, impute = median, missing-indicator = true}, "
                + "{column = zip, kind = categorical, min-frequency = 5}]",
            "data.missing.impute=constant",
            "data.missing.constant=-1");
    List<FeatureColumn> f = c.data().features();
    assertThat(c.data().featureNames()).containsExactly("a", "country", "age", "zip");
    assertThat(f.get(0)).isEqualTo(
        new FeatureColumn("a", FeatureKind.AUTO, FeatureColumn.NO_CAP, 1, 1000, Imputation.CONSTANT, -1.0, false, List.of(), DateTimeOptions.DEFAULT, ArrayScaling.AUTO));
    assertThat(f.get(1).cap()).hasValue(50);
    assertThat(f.get(2).impute()).isEqualTo(Imputation.MEDIAN);
    assertThat(f.get(2).missingIndicator()).isTrue();
    assertThat(f.get(2).constant()).isEqualTo(-1.0);
    assertThat(f.get(3).kind()).isEqualTo(FeatureKind.CATEGORICAL);
    assertThat(f.get(3).minFrequency()).isEqualTo(5);
    assertThat(f.get(3).cap()).isEmpty();
  }

  @Test
  void classWeightsAreNoneBalancedOrGivenPerClass() {
    assertThat(load(MINIMAL).training().classWeights()).isInstanceOf(ClassWeights.None.class);
    assertThat(load(MINIMAL, "training.class-weights=balanced").training().classWeights()).isInstanceOf(ClassWeights.Balanced.class);
    assertThat(load(MINIMAL, "training.class-weights={fraud = 10, \"1\" = 2.5}").training().classWeights())
        .isEqualTo(new ClassWeights.Given(java.util.Map.of("fraud", 10.0, "1", 2.5)));
    assertThatThrownBy(() -> load(MINIMAL, "training.class-weights=balanced", "data.task=regression"))
        .hasMessage("Invalid training.class-weights: balanced (class weights need data.task = classification, not REGRESSION)");
  }

  @Test
  void metricsDefaultByTaskAndRejectOnesThatDoNotFit() {
    MetricsConfig classification = load(MINIMAL).metrics();
    assertThat(classification).isEqualTo(new MetricsConfig(MetricsConfig.Mode.VALIDATION, List.of(Metric.ACCURACY, Metric.F1), 1, 1000, 5, java.util.List.of(), 10));
    assertThat(load(MINIMAL, "data.task=regression").metrics().names()).containsExactly(Metric.MSE, Metric.R2);
    assertThat(load(MINIMAL, "metrics.mode=fast", "metrics.names=[f1, auc]").metrics())
        .isEqualTo(new MetricsConfig(MetricsConfig.Mode.FAST, List.of(Metric.F1, Metric.AUC), 1, 1000, 5, java.util.List.of(), 10));
    assertThatThrownBy(() -> load(MINIMAL, "data.task=regression", "metrics.names=[auc]"))
        .hasMessageStartingWith("Invalid metrics.names: auc does not fit data.task = regression (metrics for it: [loss, mse, rmse, mae, r2])");
  }

  @Test
  void requiresTrainFeaturesAndLabel() {
    assertThatThrownBy(() -> load("data { features = [a], label = y }"))
        .hasMessage("Missing required config key data.train");
    assertThatThrownBy(() -> load("data { train = x, label = y }")).hasMessage("Missing required config key data.features");
  }

  @Test
  void masksSecretsInTheResolvedJson() {
    LoadedConfig loaded =
        ConfigLoader.parse(
            MINIMAL + "\nspark.conf { \"spark.hadoop.fs.s3a.secret.key\" = hunter2, \"spark.ssl.keyPassword\" = pw }",
            List.of());
    assertThat(loaded.resolvedJson()).doesNotContain("hunter2").doesNotContain("\"pw\"").contains("*****");
    assertThat(loaded.config().spark().conf()).containsEntry("spark.hadoop.fs.s3a.secret.key", "hunter2");
  }

  @Test
  void loadsAFileAndReportsAMissingOneOrBadSyntax(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.conf");
    Files.writeString(file, MINIMAL);
    assertThat(ConfigLoader.load(file, List.of("training.epochs=2")).config().training().epochs()).isEqualTo(2);

    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.conf"), List.of()))
        .hasMessage("Config file not found: " + dir.resolve("missing.conf"));
    Files.writeString(file, "data { train = ");
    assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Invalid config file " + file);
  }

  @Test
  void everyExampleConfigInTheRepositoryIsValid() throws Exception {
    Path conf = io.sparkfit.testing.Repo.root().resolve("conf");
    try (var files = Files.list(conf)) {
      List<Path> configs = files.filter(f -> f.toString().endsWith(".conf")).toList();
      assertThat(configs).hasSizeGreaterThanOrEqualTo(4);
      for (Path f : configs) {
        assertThat(ConfigLoader.load(f, List.of()).config().data().train()).as(f.toString()).isNotBlank();
      }
    }
  }

  @Test
  void recordsBuiltInCodeRefuseWhatTheLoaderRefuses() {
    SparkfitConfig loaded = load(MINIMAL);
    assertThatThrownBy(() -> new TrainingConfig(TrainingConfig.Engine.AVERAGING, 0, 32, 5, 0, 0, 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Invalid training.epochs: 0 (must be > 0)");
    assertThatThrownBy(() -> new MetricsConfig(MetricsConfig.Mode.FULL, List.of(Metric.AUC), 1, 1, 5, java.util.List.of(), 10))
        .hasMessage("Invalid metrics.auc-bins: 1 (must be >= 2)");
    assertThatThrownBy(() -> new ModelConfig(List.of(new LayerSpec.Dense(4, "softmax")), loaded.model().updater(), 0, 1))
        .hasMessageStartingWith("Invalid model.layers[0].activation: softmax (must be one of ");
    assertThatThrownBy(() -> new UpdaterSpec(UpdaterSpec.Type.ADAM, -1, 0.9, 0.95))
        .hasMessage("Invalid model.updater.learning-rate: -1.0 (must be > 0)");
    DataConfig data = loaded.data();
    assertThatThrownBy(() -> new DataConfig(data.train(), data.validation(), 0.2, List.of(FeatureColumn.named("a"), FeatureColumn.named("b")), "a", data.task(), data.normalize(), false, java.util.Optional.empty()))
        .hasMessage("Invalid config: data.label 'a' is also listed in data.features [a, b]");

    // Across sections: the metrics against the task, the early-stopping metric against the metrics asked for.
    MetricsConfig regressionMetrics = new MetricsConfig(MetricsConfig.Mode.VALIDATION, List.of(Metric.R2), 1, 1000, 5, java.util.List.of(), 10);
    assertThatThrownBy(
            () -> new SparkfitConfig(data, loaded.model(), loaded.training(), regressionMetrics, loaded.output(), loaded.spark()))
        .hasMessageStartingWith("Invalid metrics.names: r2 does not fit data.task = classification");
    TrainingConfig t = loaded.training();
    TrainingConfig stopOnAuc =
        new TrainingConfig(
            t.engine(), t.epochs(), t.batchSizePerWorker(), t.averagingFrequency(), t.workers(), t.threadsPerTask(), t.exchangePort(),
            new EarlyStopping.OnMetric(new EarlyStopping.Monitored(EarlyStopping.Split.VALIDATION, Metric.AUC), EarlyStopping.Mode.MAX, 2, 0),
            t.stallTimeoutSeconds(), t.device(), t.classWeights(), t.updaterState(), t.learningRateScaling(), t.stopGraceSeconds(),
            t.exchange(), t.overlapExchange(), t.learningRateWarmupEpochs());
    assertThatThrownBy(() -> new SparkfitConfig(data, loaded.model(), stopOnAuc, loaded.metrics(), loaded.output(), loaded.spark()))
        .hasMessage("Invalid training.early-stopping.metric: validation.auc (add auc to metrics.names, which are [accuracy, f1])");
  }

  private static LoadedConfig loaded(String hocon, String... overrides) {
    return ConfigLoader.parse(hocon, List.of(overrides));
  }

  @Test
  void theResumeFingerprintIgnoresResourcesAndPlacementButNotTheModel() {
    String base = loaded(MINIMAL).resumeFingerprint();
    assertThat(loaded(MINIMAL, "spark.conf.\"spark.executor.memory\"=8g", "spark.master=\"local[1]\"").resumeFingerprint()).isEqualTo(base);
    assertThat(loaded(MINIMAL, "output.dir=/elsewhere", "output.overwrite=true").resumeFingerprint()).isEqualTo(base);
    assertThat(loaded(MINIMAL, "training.stall-timeout-seconds=30", "training.threads-per-task=2", "training.exchange-port=7077", "training.device=cpu", "training.stop-grace-seconds=0").resumeFingerprint())
        .isEqualTo(base);
    for (String changesTheModel :
        List.of("training.epochs=11", "model.seed=7", "model.updater.learning-rate=0.01", "data.train=other", "metrics.names=[f1]", "training.workers=3")) {
      assertThat(loaded(MINIMAL, changesTheModel).resumeFingerprint()).as(changesTheModel).isNotEqualTo(base);
    }
  }
}
