package io.sparkfit.ml;

import io.sparkfit.data.SchemaMapper;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.ModelInputs;
import io.sparkfit.data.ScoringTable;
import io.sparkfit.model.ModelArchive;
import io.sparkfit.model.Provenance;
import io.sparkfit.model.TrainedModel;
import io.sparkfit.output.StagedWrite;
import io.sparkfit.score.Scoring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A trained Sparkfit model as a Spark ML {@code Transformer}: appends the prediction (and, for
 * classifiers, the class probabilities) to a DataFrame, with the model broadcast once and applied
 * per partition in minibatches. Saved as Spark ML metadata plus the same {@code model.zip} the train
 * job writes, which loads without Java deserialization.
 */
public final class SparkfitModel extends Model<SparkfitModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private static final String MODEL_FILE = "data/" + ModelArchive.FILE_NAME;
  private static final int BATCH_SIZE = 256;

  private final String uid;
  private final transient TrainedModel model;
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;

  SparkfitModel(String uid, TrainedModel model) {
    this.uid = uid;
    this.model = model;
    featuresCol = SparkfitParams.featuresCol(this);
    labelCol = SparkfitParams.labelCol(this);
    predictionCol = SparkfitParams.predictionCol(this);
    probabilityCol = SparkfitParams.probabilityCol(this);
    setDefault(featuresCol, model.featureSpec().columnNames().get(0));
    setDefault(labelCol, model.labelColumn().name());
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The trained network with its feature spec, label index and normalizer. */
  public TrainedModel trainedModel() {
    return model;
  }

  /**
   * Where the model came from: the config, the data and its row counts, versions, git commit and
   * Spark application of the fit. Saved with the model and read back by {@link #load}.
   */
  public Optional<Provenance> provenance() {
    return model.provenance();
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

  public SparkfitModel setFeaturesCol(String value) {
    return (SparkfitModel) set(featuresCol, value);
  }

  public SparkfitModel setPredictionCol(String value) {
    return (SparkfitModel) set(predictionCol, value);
  }

  public SparkfitModel setProbabilityCol(String value) {
    return (SparkfitModel) set(probabilityCol, value);
  }

  /**
   * The model's inputs, reading its features from {@code featuresCol} when the model reads a single
   * array or vector column (as a Spark ML pipeline assembles one); a model of several columns, or of
   * a numeric or categorical column, reads the columns it was trained on.
   */
  private TrainedModel forColumns() {
    FeatureSpec spec = model.featureSpec();
    String column = $(featuresCol);
    if (spec.columns().size() > 1 || !(spec.columns().get(0) instanceof InputColumn.Array array) || array.column().equals(column)) {
      return model;
    }
    return model.withFeatureSpec(new FeatureSpec(List.of(new InputColumn.Array(column, array.length()))));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    TrainedModel scoring = forColumns();
    ModelInputs inputs = scoring.inputs();
    Dataset<Row> table = dataset.toDF();
    ScoringTable checked = ScoringTable.of(table, inputs, false, "the DataFrame");
    Column features = checked.features();
    Column valid = ScoringTable.validFeatures(features, inputs.features());
    Dataset<Row> input;
    if (scoring.dropInvalid()) {
      input = table.withColumn(ScoringTable.FEATURES, features).filter(valid);
    } else {
      String message =
          String.format(
              "%s has a row the model cannot take (missing without imputation, non-finite, an array not of the trained "
                  + "length, or text its date format cannot read); the model was trained with data.drop-invalid=false",
              inputs.features().describe());
      input =
          table.withColumn(ScoringTable.FEATURES, functions.when(valid, features).otherwise(functions.raise_error(functions.lit(message))));
    }
    return Scoring.score(input, scoring, $(predictionCol), $(probabilityCol), BATCH_SIZE);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return SparkfitParams.withOutputs(
        schema, forColumns().featureSpec().columnNames(), $(predictionCol), $(probabilityCol), model.task(),
        SchemaMapper.labelType(model.labelColumn()));
  }

  @Override
  public SparkfitModel copy(ParamMap extra) {
    SparkfitModel copied = new SparkfitModel(uid, model);
    copyValues(copied, extra);
    return (SparkfitModel) copied.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<SparkfitModel> read() {
    return new Reader();
  }

  public static SparkfitModel load(String path) {
    return read().load(path);
  }

  private static final class Writer extends MLWriter {
    private final SparkfitModel instance;

    Writer(SparkfitModel instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sc(), Option.empty(), Option.empty());
      Path file = new Path(path, MODEL_FILE);
      try {
        // Staged and renamed like every Sparkfit output: a reader never sees half a model.
        StagedWrite.of(StagedWrite.fileSystem(file, sc().hadoopConfiguration()), file, sc().applicationId())
            .write(
                staged -> {
                  try (OutputStream out = staged.create()) {
                    ModelArchive.write(instance.model, out);
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + file, e);
      }
    }
  }

  private static final class Reader extends MLReader<SparkfitModel> {
    @Override
    public SparkfitModel load(String path) {
      DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(), SparkfitModel.class.getName());
      Path file = new Path(path, MODEL_FILE);
      TrainedModel trained;
      try (InputStream in = file.getFileSystem(sc().hadoopConfiguration()).open(file)) {
        trained = ModelArchive.read(in, file.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
      SparkfitModel model = new SparkfitModel(metadata.uid(), trained);
      metadata.getAndSetParams(model, Option.empty());
      return model;
    }
  }
}
