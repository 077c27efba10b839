package io.sparkfit.data;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.DataConfig;
import io.sparkfit.config.Task;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training and validation data, read and checked before training starts: the feature spec, the label
 * index and the normalizer come from one pass over the training rows, and every problem in the data
 * is reported then, as an {@link InvalidInputException}, rather than halfway through an epoch.
 *
 * <p>The projected rows are cached, so the seeded validation split and the row counts stay the same
 * for every epoch. Call {@link #release()} when training is done.
 */
public final class TrainingData {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);
  private static final StorageLevel CACHE = StorageLevel.MEMORY_AND_DISK();

  private final DataConfig config;
  private final FeatureSpec featureSpec;
  private final LabelColumn labelColumn;
  private final LabelIndex labelIndex;
  private final Normalizer normalizer;
  private final RowDecoder decoder;
  private final Dataset<Row> train;
  private final Dataset<Row> validation;
  private final RowCounts trainCounts;
  private final RowCounts validationCounts;
  private final List<Dataset<Row>> cached;

  /** Rows read from one input, and how many of them were dropped as invalid. */
  public record RowCounts(long read, long dropped) {
    public long used() {
      return read - dropped;
    }
  }

  private TrainingData(
      DataConfig config,
      FeatureSpec featureSpec,
      LabelColumn labelColumn,
      LabelIndex labelIndex,
      Normalizer normalizer,
      RowDecoder decoder,
      Dataset<Row> train,
      Dataset<Row> validation,
      RowCounts trainCounts,
      RowCounts validationCounts,
      List<Dataset<Row>> cached) {
    this.config = config;
    this.featureSpec = featureSpec;
    this.labelColumn = labelColumn;
    this.labelIndex = labelIndex;
    this.normalizer = normalizer;
    this.decoder = decoder;
    this.train = train;
    this.validation = validation;
    this.trainCounts = trainCounts;
    this.validationCounts = validationCounts;
    this.cached = cached;
  }

  /** Reads, checks and profiles the configured data; {@code seed} drives the validation split. */
  public static TrainingData load(SparkSession spark, DataConfig config, long seed) {
    Dataset<Row> trainTable = TableReader.read(spark, config.train(), "data.train");
    Optional<Dataset<Row>> validationTable =
        config.validation().map(path -> TableReader.read(spark, path, "data.validation"));
    return from(trainTable, validationTable, config, seed);
  }

  /**
   * Checks and profiles tables already at hand (a Spark ML estimator's DataFrame); {@code config}'s
   * paths are not read, only its columns and settings.
   */
  public static TrainingData from(
      Dataset<Row> trainTable, Optional<Dataset<Row>> validationTable, DataConfig config, long seed) {
    ColumnMapping mapping =
        SchemaMapper.map(trainTable.schema(), config.features(), config.label(), config.task(), "data.train");
    boolean split = validationTable.isEmpty() && config.validationFraction() > 0;
    Dataset<Row> projected =
        TableReader.project(
                trainTable,
                mapping,
                split ? functions.rand(seed).lt(config.validationFraction()) : functions.lit(false))
            .persist(CACHE);

    Dataset<Row> validationProjected = null;
    if (validationTable.isPresent()) {
      ColumnMapping validationMapping =
          SchemaMapper.map(
              validationTable.get().schema(), config.features(), config.label(), config.task(), "data.validation");
      SchemaMapper.checkCompatible(mapping, validationMapping, "data.validation");
      validationProjected = TableReader.project(validationTable.get(), mapping, functions.lit(false)).persist(CACHE);
    }

    int configuredWidth = mapping.layout() == FeatureLayout.COLUMNS ? mapping.featureColumns().size() : 0;
    RowDecoder probe =
        new RowDecoder(
            new FeatureSpec(mapping.layout(), mapping.featureColumns(), Math.max(1, configuredWidth)),
            mapping.labelColumn(),
            mapping.labelKind());
    DataProfile[] trainProfiles = profile(projected, probe);
    DataProfile trainProfile = trainProfiles[0];
    DataProfile all = copyOf(trainProfiles[0]).merge(copyOf(trainProfiles[1]));
    check(all, "data.train", config, mapping);
    int width = all.widths.firstKey();
    FeatureSpec featureSpec = new FeatureSpec(mapping.layout(), mapping.featureColumns(), width);
    RowDecoder decoder = new RowDecoder(featureSpec, mapping.labelColumn(), mapping.labelKind());

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
      validationProfile = profile(validationProjected, decoder)[0];
      check(validationProfile, "data.validation", config, mapping);
      InvalidInputException.check(
          validationProfile.widths.firstKey() == width,
          "%s has %d values in data.validation but %d in data.train",
          featureSpec.describe(),
          validationProfile.widths.firstKey(),
          width);
      trainRows = projected;
      validationRows = validationProjected;
    } else {
      validationProfile = null;
      trainRows = projected;
      validationRows = null;
    }

    LabelIndex labelIndex;
    if (mapping.labelKind().isClass()) {
      Set<Object> classes = new HashSet<>(all.labels);
      labelIndex = LabelIndex.of(mapping.labelKind(), classes);
      InvalidInputException.check(
          labelIndex.size() >= 2,
          "label column '%s' in data.train has only one class %s; classification needs at least two",
          mapping.labelColumn(),
          labelIndex.values());
      if (validationProfile != null && !split) {
        for (Object label : validationProfile.labels) {
          InvalidInputException.check(
              labelIndex.contains(label),
              "label column '%s' in data.validation has value '%s' not in the label index %s built from data.train",
              mapping.labelColumn(),
              label,
              labelIndex.values());
        }
      }
    } else {
      labelIndex = LabelIndex.target();
    }

    Normalizer normalizer = Normalizer.fit(config.normalize(), trainProfile, !mapping.labelKind().isClass());
    RowCounts trainCounts = new RowCounts(trainProfile.rows, trainProfile.invalidRows);
    RowCounts validationCounts =
        validationProfile == null ? new RowCounts(0, 0) : new RowCounts(validationProfile.rows, validationProfile.invalidRows);
    logDropped("data.train", trainCounts);
    logDropped("data.validation", validationCounts);
    LabelColumn labelColumn =
        new LabelColumn(mapping.labelColumn(), trainTable.schema().apply(mapping.labelColumn()).dataType().catalogString());
    return new TrainingData(
        config,
        featureSpec,
        labelColumn,
        labelIndex,
        normalizer,
        decoder,
        trainRows,
        validationRows,
        trainCounts,
        validationCounts,
        validationProjected == null ? List.of(projected) : List.of(projected, validationProjected));
  }

  private static void logDropped(String key, RowCounts counts) {
    if (counts.dropped() > 0) {
      LOG.warn("Dropped {} of {} rows of {} with null or non-finite values (data.drop-invalid = true)", counts.dropped(), counts.read(), key);
    }
  }

  private static DataProfile copyOf(DataProfile p) {
    return new DataProfile().merge(p);
  }

  private static DataProfile[] profile(Dataset<Row> projected, RowDecoder decoder) {
    return projected
        .javaRDD()
        .mapPartitions(new ProfilePartition(decoder))
        .fold(
            new DataProfile[] {new DataProfile(), new DataProfile()},
            (a, b) -> {
              a[0].merge(b[0]);
              a[1].merge(b[1]);
              return a;
            });
  }

  private static void check(DataProfile profile, String key, DataConfig config, ColumnMapping mapping) {
    String path = key.equals("data.train") ? config.train() : config.validation().orElse("");
    InvalidInputException.check(profile.rows > 0, "%s = %s has no rows", key, path);
    if (profile.widths.size() > 1) {
      var first = profile.widths.firstEntry();
      var last = profile.widths.lastEntry();
      throw InvalidInputException.of(
          "feature column '%s' in %s has arrays of different lengths: %d in row %s and %d in row %s",
          mapping.featureColumns().get(0), key, first.getKey(), first.getValue(), last.getKey(), last.getValue());
    }
    if (profile.fractionalLabelExample != null) {
      throw InvalidInputException.of(
          "label column '%s' in %s has a value that is not a whole number in row %s; classification over a "
              + "floating-point label needs class values such as 0.0, 1.0 (set data.task = regression for a numeric target)",
          mapping.labelColumn(), key, profile.fractionalLabelExample);
    }
    InvalidInputException.check(
        !profile.tooManyLabels,
        "label column '%s' in %s has more than %d distinct values: too many classes (set data.task = regression for a numeric target)",
        mapping.labelColumn(),
        key,
        DataProfile.MAX_CLASSES);
    if (profile.invalidRows > 0) {
      InvalidInputException.check(
          config.dropInvalid(),
          "%s has %d rows with a null or non-finite value in the label or features, e.g. %s (set data.drop-invalid=true to drop them)",
          key,
          profile.invalidRows,
          profile.invalidExample);
      InvalidInputException.check(
          profile.validRows() > 0,
          "%s has no valid rows: all %d rows have a null or non-finite value, e.g. %s",
          key,
          profile.rows,
          profile.invalidExample);
    }
  }

  /** The training rows as minibatches of up to {@code batchSize}, made per partition. */
  public JavaRDD<DataSet> trainMinibatches(int batchSize) {
    return minibatches(train, batchSize);
  }

  /** The validation rows as minibatches, when there is validation data. */
  public Optional<JavaRDD<DataSet>> validationMinibatches(int batchSize) {
    return Optional.ofNullable(validation).map(v -> minibatches(v, batchSize));
  }

  private JavaRDD<DataSet> minibatches(Dataset<Row> rows, int batchSize) {
    return rows.javaRDD().mapPartitions(new MinibatchPartition(decoder, labelIndex, normalizer, batchSize, config.dropInvalid()));
  }

  public FeatureSpec featureSpec() {
    return featureSpec;
  }

  public LabelColumn labelColumn() {
    return labelColumn;
  }

  public LabelIndex labelIndex() {
    return labelIndex;
  }

  public Normalizer normalizer() {
    return normalizer;
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
