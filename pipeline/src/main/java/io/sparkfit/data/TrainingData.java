package io.sparkfit.data;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.ClassWeights;
import io.sparkfit.config.DataConfig;
import io.sparkfit.config.Task;
import io.sparkfit.features.Feature;
import io.sparkfit.features.FeatureEncoder;
import io.sparkfit.features.Features;
import io.sparkfit.features.ProjectedRows;
import io.sparkfit.inputs.DriftReference;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.InputLayout;
import io.sparkfit.inputs.LabelColumn;
import io.sparkfit.inputs.LabelIndex;
import io.sparkfit.inputs.LabelKind;
import io.sparkfit.inputs.ModelInputs;
import io.sparkfit.inputs.Normalizer;
import io.sparkfit.profile.ClassWeighting;
import io.sparkfit.profile.DataProfile;
import io.sparkfit.profile.FeatureFit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training and validation data, read and checked before training starts: the feature columns'
 * vocabularies and fill values, the input scaling, the label index and the class counts come from one
 * pass over the training rows (per-partition states merged, never a collect of rows), and every problem in the data
 * is reported then, as an {@link InvalidInputException}, rather than halfway through an epoch.
 *
 * <p>The projected rows are cached, so the seeded validation split and the row counts stay the same
 * for every epoch; on local disk, since they are read only a few times (profiling, and once to make
 * each split's minibatches), and held in executor memory they would grow it with the data. Call
 * {@link #release()} when training is done.
 */
public final class TrainingData {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);
  private static final StorageLevel CACHE = StorageLevel.DISK_ONLY();
  private final DataConfig config;
  private final FeatureFit features;
  private final LabelColumn labelColumn;
  private final LabelIndex labelIndex;
  private final Map<Object, Long> classCounts;
  private final ProjectedRows layout;
  private final Dataset<Row> train;
  private final Dataset<Row> validation;
  private final RowCounts trainCounts;
  private final RowCounts validationCounts;
  private final List<Dataset<Row>> cached;
  private final DriftReference drift;
  /** data.train as read, for the slice values ({@link #metricColumns}). */
  private final Dataset<Row> trainTable;

  /** Rows read from one input, and how many of them were dropped as invalid. */
  public record RowCounts(long read, long dropped) {
    public long used() {
      return read - dropped;
    }
  }

  private TrainingData(
      DataConfig config,
      FeatureFit features,
      LabelColumn labelColumn,
      LabelIndex labelIndex,
      Map<Object, Long> classCounts,
      ProjectedRows layout,
      Dataset<Row> train,
      Dataset<Row> validation,
      RowCounts trainCounts,
      RowCounts validationCounts,
      List<Dataset<Row>> cached,
      DriftReference drift,
      Dataset<Row> trainTable) {
    this.trainTable = trainTable;
    this.config = config;
    this.features = features;
    this.labelColumn = labelColumn;
    this.labelIndex = labelIndex;
    this.classCounts = Map.copyOf(classCounts);
    this.layout = layout;
    this.train = train;
    this.validation = validation;
    this.trainCounts = trainCounts;
    this.validationCounts = validationCounts;
    this.drift = drift;
    this.cached = cached;
  }

  /**
   * A class with fewer training rows than this keeps them all for training when the validation split
   * is made from data.train: the few rows it would lose (10% of 11 is one) are much of what there
   * is to learn the class from, and as validation they would say little (docs/configuration.md,
   * "A config that names only the data").
   */
  public static final int MIN_CLASS_ROWS_TO_SPLIT = 50;

  /**
   * The classes of {@code label} with fewer than {@link #MIN_CLASS_ROWS_TO_SPLIT} rows in {@code
   * table}, smallest first; none when every class is that small (a tiny table: there the split is
   * made as usual, or there would be nothing to validate on).
   */
  private static List<Object> rareClasses(Dataset<Row> table, String label) {
    List<Row> counts =
        table.groupBy(Features.column(label).as("class")).count()
            .filter(functions.col("class").isNotNull())
            .orderBy(functions.col("count"), functions.col("class"))
            .collectAsList();
    List<Object> rare = new ArrayList<>();
    for (Row row : counts) {
      if (row.getLong(1) < MIN_CLASS_ROWS_TO_SPLIT) {
        rare.add(row.get(0));
      }
    }
    return rare.size() < counts.size() ? rare : List.of();
  }

  /** Reads, checks and profiles the configured data; {@code seed} drives the validation split. */
  public static TrainingData load(SparkSession spark, DataConfig config, long seed) {
    return load(spark, config, seed, Optional.empty());
  }

  /**
   * The inputs of the model a run continues from ({@code model.init-from}, or a checkpoint), and
   * where it is, for messages: e.g. {@code model.init-from hdfs://models/yesterday}.
   */
  public record Continued(ModelInputs inputs, String from) {}

  /**
   * Reads, checks and profiles the configured data; with {@code fitted} the features are encoded and
   * scaled as that model learned them, so its inputs keep their meaning; new categories go to "other".
   */
  public static TrainingData load(SparkSession spark, DataConfig config, long seed, Optional<Continued> fitted) {
    return load(spark, config, seed, fitted, schema -> {}, List.of());
  }

  /**
   * As {@link #load(SparkSession, DataConfig, long, Optional)}, with {@code schemaCheck} given the
   * training table's schema as soon as it is read, before anything else is checked: the drift gate's
   * schema check, which reads no data of its own. The rows keep {@code sliceColumns} ({@code metrics.slices})
   * beside the features, for {@link #slicedMinibatches}.
   */
  public static TrainingData load(
      SparkSession spark,
      DataConfig config,
      long seed,
      Optional<Continued> fitted,
      java.util.function.Consumer<StructType> schemaCheck,
      List<String> sliceColumns) {
    Map<String, String> inputs = new java.util.LinkedHashMap<>();
    inputs.put("data.train", config.train());
    config.validation().ifPresent(path -> inputs.put("data.validation", path));
    try {
      Dataset<Row> trainTable = TableReader.read(spark, config.train(), "data.train");
      schemaCheck.accept(trainTable.schema());
      Optional<Dataset<Row>> validationTable =
          config.validation().map(path -> TableReader.read(spark, path, "data.validation"));
      return from(trainTable, validationTable, config, seed, fitted, sliceColumns);
    } catch (Exception e) {
      // Reading happens in the profiling pass's tasks: a corrupt file fails there, deep in Spark's causes.
      throw ReadFailures.explain(e, inputs);
    }
  }

  /**
   * Checks and profiles tables already at hand (a Spark ML estimator's DataFrame); {@code config}'s
   * paths are not read, only its columns and settings.
   */
  public static TrainingData from(
      Dataset<Row> trainTable, Optional<Dataset<Row>> validationTable, DataConfig config, long seed) {
    return from(trainTable, validationTable, config, seed, Optional.empty(), List.of());
  }

  private static TrainingData from(
      Dataset<Row> trainTable,
      Optional<Dataset<Row>> validationTable,
      DataConfig config,
      long seed,
      Optional<Continued> fitted,
      List<String> sliceColumns) {
    Features.read(trainTable.schema(), config.features(), "data.train");
    return TableReader.withReadBatches(
        trainTable, config.featureNames(), () -> cachedAndProfiled(trainTable, validationTable, config, seed, fitted, sliceColumns));
  }

  private static TrainingData cachedAndProfiled(
      Dataset<Row> trainTable,
      Optional<Dataset<Row>> validationTable,
      DataConfig config,
      long seed,
      Optional<Continued> fitted,
      List<String> sliceColumns) {
    requireColumns(trainTable, sliceColumns, "data.train");
    validationTable.ifPresent(v -> requireColumns(v, sliceColumns, "data.validation"));
    List<Feature> sources = Features.read(trainTable.schema(), config.features(), "data.train");
    LabelKind labelKind = SchemaMapper.labelKind(trainTable.schema(), config.label(), config.task(), "data.train");
    config.weightColumn().ifPresent(w -> SchemaMapper.checkWeight(trainTable.schema(), w, "data.train"));
    ProjectedRows layout =
        new ProjectedRows(config.featureNames(), config.label(), labelKind, config.weightColumn().orElse(null), sliceColumns);
    boolean split = validationTable.isEmpty() && config.validationFraction() > 0;
    Column holdout = functions.lit(false);
    if (split) {
      holdout = functions.rand(seed).lt(config.validationFraction());
      List<Object> rare = labelKind.isClass() ? rareClasses(trainTable, config.label()) : List.of();
      if (!rare.isEmpty()) {
        LOG.info(
            "Classes with fewer than {} rows keep them all for training, none held out for validation (data.validation-fraction): {}",
            MIN_CLASS_ROWS_TO_SPLIT, rare);
        holdout = holdout.and(functions.not(Features.column(config.label()).isin(rare.toArray())));
      }
    }
    Dataset<Row> projected = TableReader.project(trainTable, sources, config.label(), holdout, config.weightColumn(), sliceColumns).persist(CACHE);

    Dataset<Row> validationProjected = null;
    List<Feature> validationSources = null;
    if (validationTable.isPresent()) {
      StructType schema = validationTable.get().schema();
      validationSources = Features.read(schema, config.features(), "data.validation");
      for (int i = 0; i < sources.size(); i++) {
        Feature t = sources.get(i);
        Feature v = validationSources.get(i);
        InvalidInputException.check(
            t.kind().equals(v.kind()),
            "feature column '%s' has type %s (%s) in data.validation but %s (%s) in data.train",
            t.name(), v.sqlType(), v.kind(), t.sqlType(), t.kind());
      }
      LabelKind validationKind = SchemaMapper.labelKind(schema, config.label(), config.task(), "data.validation");
      InvalidInputException.check(
          validationKind == labelKind,
          "label column '%s' in data.validation holds %s, but in data.train %s",
          config.label(),
          validationKind,
          labelKind);
      config.weightColumn().ifPresent(w -> SchemaMapper.checkWeight(schema, w, "data.validation"));
      validationProjected =
          TableReader.project(
                  validationTable.get(), validationSources, config.label(), functions.lit(false), config.weightColumn(), sliceColumns)
              .persist(CACHE);
    }

    DataProfile[] trainProfiles = DataProfile.of(projected, layout, sources);
    DataProfile trainProfile = trainProfiles[0];
    DataProfile all = trainProfiles[0].copy().merge(trainProfiles[1].copy());
    all.check("data.train", config.train(), config.label(), config.dropInvalid(), sources);
    FeatureFit fresh = FeatureFit.fit(sources, trainProfile, config.normalize(), !labelKind.isClass(), "data.train");
    FeatureFit fit = fitted.map(previous -> reuse(previous, sources, trainProfile, fresh)).orElse(fresh);

    DataProfile validationProfile;
    Dataset<Row> trainRows;
    Dataset<Row> validationRows;
    if (split) {
      validationProfile = trainProfiles[1];
      trainRows = projected.filter(functions.not(functions.col("holdout")));
      validationRows = projected.filter(functions.col("holdout"));
      InvalidInputException.check(
          validationProfile.validRows() > 0 && trainProfile.validRows() > 0,
          "data.validation-fraction = %s split %d rows of data.train into %d for training and %d for validation; "
              + "both need rows (use more data, another fraction, or 0 for no validation)",
          config.validationFraction(),
          all.validRows(),
          trainProfile.validRows(),
          validationProfile.validRows());
    } else if (validationProjected != null) {
      validationProfile = DataProfile.of(validationProjected, layout, validationSources)[0];
      validationProfile.check("data.validation", config.validation().orElse(""), config.label(), config.dropInvalid(), validationSources);
      lengthMismatch(fit.spec(), validationProfile, validationSources)
          .ifPresent(
              m -> {
                throw InvalidInputException.of(
                    "feature column '%s' has %d values in data.validation but %d in data.train", m.column(), m.found(), m.expected());
              });
      trainRows = projected;
      validationRows = validationProjected;
    } else {
      validationProfile = null;
      trainRows = projected;
      validationRows = null;
    }

    LabelIndex labelIndex;
    if (labelKind.isClass()) {
      labelIndex = LabelIndex.of(labelKind, all.labelCounts().keySet());
      InvalidInputException.check(
          labelIndex.size() >= 2,
          "label column '%s' in data.train has only one class %s; classification needs at least two",
          config.label(),
          labelIndex.values());
      if (validationProfile != null && !split) {
        for (Object label : validationProfile.labelCounts().keySet()) {
          InvalidInputException.check(
              labelIndex.contains(label),
              "label column '%s' in data.validation has value '%s' not in the label index %s built from data.train",
              config.label(),
              label,
              labelIndex.values());
        }
      }
    } else {
      labelIndex = LabelIndex.target();
    }

    RowCounts trainCounts = new RowCounts(trainProfile.rows(), trainProfile.invalidRows());
    RowCounts validationCounts =
        validationProfile == null ? new RowCounts(0, 0) : new RowCounts(validationProfile.rows(), validationProfile.invalidRows());
    logDropped("data.train", trainCounts);
    logDropped("data.validation", validationCounts);
    LabelColumn labelColumn =
        new LabelColumn(config.label(), trainTable.schema().apply(config.label()).dataType().catalogString());
    return new TrainingData(
        config,
        fit,
        labelColumn,
        labelIndex,
        trainProfile.labelCounts(),
        layout,
        trainRows,
        validationRows,
        trainCounts,
        validationCounts,
        validationProjected == null ? List.of(projected) : List.of(projected, validationProjected),
        all.driftReference(tableColumns(trainTable.schema()), config.label(), labelKind.isClass(), sources, DRIFT_BINS),
        trainTable);
  }

  /** Population-stability bins per numeric column of a drift reference: deciles, the usual choice. */
  static final int DRIFT_BINS = 10;

  /** Every column of a table with its type, as a drift reference records them. */
  public static List<DriftReference.TableColumn> tableColumns(StructType schema) {
    List<DriftReference.TableColumn> columns = new ArrayList<>();
    for (org.apache.spark.sql.types.StructField f : schema.fields()) {
      columns.add(new DriftReference.TableColumn(f.name(), f.dataType().catalogString()));
    }
    return columns;
  }

  /**
   * The whole of data.train (the rows held out for validation too) as a drift check compares it:
   * made from the one profiling pass, and saved in the model's provenance for the next run.
   */
  public DriftReference driftReference() {
    return drift;
  }

  /** The features as {@code previous} encodes and scales them, checked against this data; the profile stays this data's. */
  private static FeatureFit reuse(Continued continued, List<Feature> sources, DataProfile train, FeatureFit fresh) {
    ModelInputs previous = continued.inputs();
    List<String> names = sources.stream().map(Feature::name).toList();
    InvalidInputException.check(
        previous.features().columnNames().equals(names),
        "%s reads feature columns %s, but data.features are %s",
        continued.from(),
        previous.features().columnNames(),
        names);
    for (int i = 0; i < sources.size(); i++) {
      Features.checkFeeds(sources.get(i), previous.features().columns().get(i), "data.train");
    }
    lengthMismatch(previous.features(), train, sources)
        .ifPresent(
            m -> {
              throw InvalidInputException.of(
                  "feature column '%s' has %d values in data.train, but %s takes %d", m.column(), m.found(), continued.from(), m.expected());
            });
    return new FeatureFit(previous.features(), previous.normalizer(), fresh.summary());
  }

  /** An array column whose rows have another length than the feature spec takes. */
  private record LengthMismatch(String column, int found, int expected) {}

  /** The first array or sequence column of {@code spec} whose length in {@code profile} differs (the profile has one length per column). */
  private static Optional<LengthMismatch> lengthMismatch(FeatureSpec spec, DataProfile profile, List<Feature> features) {
    for (int i = 0; i < spec.columns().size(); i++) {
      InputColumn column = spec.columns().get(i);
      int length = features.get(i).observedWidth(profile.column(i));
      if (length >= 0 && length != column.width()) {
        return Optional.of(new LengthMismatch(column.column(), length, column.width()));
      }
    }
    return Optional.empty();
  }

  private static void logDropped(String key, RowCounts counts) {
    if (counts.dropped() > 0) {
      LOG.warn("Dropped {} of {} rows of {} with null or non-finite values (data.drop-invalid = true)", counts.dropped(), counts.read(), key);
    }
  }

  /** The training rows as minibatches of up to {@code batchSize} for a network whose inputs {@code inputs} lays out, made per partition. */
  public JavaRDD<MultiDataSet> trainMinibatches(int batchSize, InputLayout inputs) {
    return minibatches(train, batchSize, inputs);
  }

  /** The validation rows as minibatches, when there is validation data. */
  public Optional<JavaRDD<MultiDataSet>> validationMinibatches(int batchSize, InputLayout inputs) {
    return Optional.ofNullable(validation).map(v -> minibatches(v, batchSize, inputs));
  }

  /**
   * The rows the per-slice metrics of a run are computed on, as minibatches carrying each example's
   * slice indices ({@link io.sparkfit.metrics.Slicing}): the validation rows, or the training rows
   * when there are none. {@code slices} are the slice columns this data was loaded with.
   */
  public JavaRDD<MultiDataSet> slicedMinibatches(int batchSize, InputLayout inputs, List<io.sparkfit.inputs.MetricColumns.SliceColumn> slices) {
    return minibatches(validation != null ? validation : train, batchSize, inputs, slices);
  }

  private JavaRDD<MultiDataSet> minibatches(Dataset<Row> rows, int batchSize, InputLayout inputs) {
    return minibatches(rows, batchSize, inputs, List.of());
  }

  private JavaRDD<MultiDataSet> minibatches(
      Dataset<Row> rows, int batchSize, InputLayout inputs, List<io.sparkfit.inputs.MetricColumns.SliceColumn> slices) {
    return rows.javaRDD()
        .mapPartitions(
            new MinibatchPartition(
                layout,
                new FeatureEncoder(features.spec(), features.normalizer()),
                inputs,
                labelIndex,
                batchSize,
                config.dropInvalid(),
                slices));
  }

  /** Fails naming the key and the column when a slice column is not in {@code table}. */
  private static void requireColumns(Dataset<Row> table, List<String> sliceColumns, String key) {
    List<String> columns = java.util.Arrays.asList(table.columns());
    for (String slice : sliceColumns) {
      InvalidInputException.check(
          columns.contains(slice), "column '%s' (metrics.slices) not found in %s; its columns are %s", slice, key, columns);
    }
  }

  public FeatureSpec featureSpec() {
    return features.spec();
  }

  /** Each feature column of the training rows: kind, missing values, statistics or vocabulary. */
  public List<ColumnSummary> profile() {
    return features.summary();
  }

  /**
   * The weight of each class in the loss, in label-index order, as {@code training.class-weights}
   * resolves on these training rows; empty when every class weighs the same.
   */
  public Optional<double[]> classWeights(ClassWeights weights) {
    return ClassWeighting.resolve(weights, labelIndex, classCounts, labelColumn.name());
  }

  /**
   * The columns the metrics read beside the features, as the model saves them: the weight column, when
   * there is one, and each of {@code metrics.slices} with its {@code metrics.slice-values} most frequent
   * non-null values in data.train (ties by value), one small aggregation per slice column. Fails
   * naming the key when a slice column is not in data.train.
   */
  public io.sparkfit.inputs.MetricColumns metricColumns(io.sparkfit.config.MetricsConfig metrics) {
    List<io.sparkfit.inputs.MetricColumns.SliceColumn> slices = new ArrayList<>();
    List<String> columns = java.util.Arrays.asList(trainTable.columns());
    for (String slice : metrics.slices()) {
      InvalidInputException.check(
          columns.contains(slice), "column '%s' (metrics.slices) not found in data.train; its columns are %s", slice, columns);
      Column value = Features.column(slice).cast("string");
      List<String> values =
          trainTable.select(value.as("value")).filter(functions.col("value").isNotNull()).groupBy("value").count()
              .orderBy(functions.col("count").desc(), functions.col("value"))
              .limit(metrics.sliceValues())
              .collectAsList().stream()
              .map(r -> r.getString(0))
              .toList();
      slices.add(new io.sparkfit.inputs.MetricColumns.SliceColumn(slice, values));
    }
    return new io.sparkfit.inputs.MetricColumns(config.weightColumn(), slices);
  }

  /** The slice columns ({@code metrics.slices}) the rows were loaded with, in order; empty for none. */
  public List<String> sliceColumns() {
    return layout.sliceColumns();
  }

  /** Whether rows are weighted ({@code data.weight-column}): the minibatches' labels masks hold the weights. */
  public boolean weighted() {
    return config.weightColumn().isPresent();
  }

  public LabelColumn labelColumn() {
    return labelColumn;
  }

  public LabelIndex labelIndex() {
    return labelIndex;
  }

  public Normalizer normalizer() {
    return features.normalizer();
  }

  public Task task() {
    return config.task();
  }

  public RowCounts trainCounts() {
    return trainCounts;
  }

  public RowCounts validationCounts() {
    return validationCounts;
  }

  public boolean hasValidation() {
    return validation != null;
  }

  /** Drops the cached rows. */
  public void release() {
    cached.forEach(Dataset::unpersist);
  }
}
