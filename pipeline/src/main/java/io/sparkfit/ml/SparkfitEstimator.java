package io.sparkfit.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.config.Task;
import io.sparkfit.data.TrainingData;
import io.sparkfit.run.TrainingRun;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a Sparkfit model on a DataFrame, through the same engine, checks and metrics as the train
 * job, so {@code new Pipeline().setStages(...).fit(df)} works. The {@code config} Param holds the
 * HOCON of a job config without its data paths or output ({@code model}, {@code training},
 * {@code metrics}, {@code data.task}, ...); the label comes from {@code labelCol}, the features from
 * {@code featuresCol} unless the config lists {@code data.features} (e.g. raw string and numeric
 * columns, encoded by the model itself rather than by StringIndexer and VectorAssembler stages).
 */
public final class SparkfitEstimator extends Estimator<SparkfitModel> implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String uid;
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> config;
  private final Param<String> network;

  public SparkfitEstimator() {
    this(Identifiable$.MODULE$.randomUID("sparkfit"));
  }

  public SparkfitEstimator(String uid) {
    this.uid = uid;
    featuresCol = SparkfitParams.featuresCol(this);
    labelCol = SparkfitParams.labelCol(this);
    predictionCol = SparkfitParams.predictionCol(this);
    probabilityCol = SparkfitParams.probabilityCol(this);
    config = new Param<>(this, "config", "HOCON: model, training, metrics and data settings, as in a job config, without data paths");
    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    network =
        new Param<>(this, "network", "A DL4J MultiLayerConfiguration or ComputationGraphConfiguration as toJson() writes it, instead of model.layers");
    setDefault(config, "");
    setDefault(network, "");
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public Param<String> config() {
    return config;
  }

  public SparkfitEstimator setFeaturesCol(String value) {
    return (SparkfitEstimator) set(featuresCol, value);
  }

  public SparkfitEstimator setLabelCol(String value) {
    return (SparkfitEstimator) set(labelCol, value);
  }

  public SparkfitEstimator setPredictionCol(String value) {
    return (SparkfitEstimator) set(predictionCol, value);
  }

  public SparkfitEstimator setProbabilityCol(String value) {
    return (SparkfitEstimator) set(probabilityCol, value);
  }

  public SparkfitEstimator setConfig(String hocon) {
    return (SparkfitEstimator) set(config, hocon);
  }

  public Param<String> network() {
    return network;
  }

  /**
   * Trains this DL4J network (a {@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration})
   * instead of {@code model.layers}, checked as {@code model.dl4j-configuration} is.
   */
  public SparkfitEstimator setNetwork(org.deeplearning4j.nn.conf.MultiLayerConfiguration conf) {
    return (SparkfitEstimator) set(network, conf.toJson());
  }

  /** @see #setNetwork(org.deeplearning4j.nn.conf.MultiLayerConfiguration) */
  public SparkfitEstimator setNetwork(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf) {
    return (SparkfitEstimator) set(network, conf.toJson());
  }

  /** The job config this estimator trains with: its {@code config} plus the columns; checked in full. */
  SparkfitConfig jobConfig() {
    return loadedConfig().config();
  }

  /**
   * The config with the DataFrame's columns: {@code featuresCol} as the one feature column, unless the
   * config lists {@code data.features} itself (several columns, categorical ones, per-column options).
   */
  private LoadedConfig loadedConfig() {
    try {
      List<String> overrides = new java.util.ArrayList<>();
      overrides.add("data.train=\"(DataFrame)\"");
      if (!listsFeatures($(config))) {
        overrides.add("data.features=[" + JSON.writeValueAsString($(featuresCol)) + "]");
      }
      overrides.add("data.label=" + JSON.writeValueAsString($(labelCol)));
      if (!$(network).isEmpty()) {
        // The driver reads it as it reads model.dl4j-configuration, with the same checks.
        java.nio.file.Path file = java.nio.file.Files.createTempFile("sparkfit-network-", ".json");
        file.toFile().deleteOnExit();
        java.nio.file.Files.writeString(file, $(network));
        overrides.add("model.dl4j-configuration=" + JSON.writeValueAsString(file.toUri().toString()));
      }
      return ConfigLoader.parse($(config), overrides);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean listsFeatures(String hocon) {
    try {
      return com.typesafe.config.ConfigFactory.parseString(hocon).hasPath("data.features");
    } catch (com.typesafe.config.ConfigException e) {
      return false; // ConfigLoader.parse reports it, naming the problem
    }
  }

  @Override
  public SparkfitModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    LoadedConfig loaded = loadedConfig();
    SparkfitConfig job = loaded.config();
    TrainingData data = TrainingData.from(dataset.toDF(), Optional.empty(), job.data(), job.model().seed());
    try {
      TrainingRun.Fitted fitted = TrainingRun.fit(dataset.sparkSession(), loaded, data);
      SparkfitModel model = new SparkfitModel(uid, fitted.model());
      copyValues(model, extractParamMap());
      return (SparkfitModel) model.setParent(this);
    } finally {
      data.release();
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SparkfitConfig job = jobConfig();
    Task task = job.data().task();
    String label = $(labelCol);
    if (!List.of(schema.fieldNames()).contains(label)) {
      throw new IllegalArgumentException("labelCol '" + label + "' is not a column of " + List.of(schema.fieldNames()));
    }
    return SparkfitParams.withOutputs(
        schema, job.data().featureNames(), $(predictionCol), $(probabilityCol), task, schema.apply(label).dataType());
  }

  @Override
  public SparkfitEstimator copy(ParamMap extra) {
    return (SparkfitEstimator) defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new DefaultParamsWriter(this);
  }

  public static MLReader<SparkfitEstimator> read() {
    return new DefaultParamsReader<>();
  }

  public static SparkfitEstimator load(String path) {
    return read().load(path);
  }
}
