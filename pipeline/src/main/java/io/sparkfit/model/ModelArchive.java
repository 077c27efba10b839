package io.sparkfit.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import io.sparkfit.config.Task;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputColumn;
import io.sparkfit.inputs.InputLayout;
import io.sparkfit.inputs.LabelColumn;
import io.sparkfit.inputs.LabelIndex;
import io.sparkfit.inputs.LabelKind;
import io.sparkfit.inputs.MetricColumns;
import io.sparkfit.inputs.ModelInputs;
import io.sparkfit.inputs.Normalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes {@code model.zip}: DL4J's ModelSerializer layout (configuration JSON, coefficients
 * and updater state in ND4J's binary format) plus Sparkfit's own entries as JSON under {@code sparkfit/}.
 *
 * <p>Model files are untrusted input. Reading never goes through Java deserialization: the network is
 * rebuilt from its JSON and binary arrays here rather than by ModelSerializer's restore methods, and an
 * archive holding any entry outside the known list, or any entry that starts with the Java
 * serialization stream header, is refused.
 */
public final class ModelArchive {
  public static final String FILE_NAME = "model.zip";
  static final String FEATURE_SPEC = "sparkfit/feature-spec.json";
  static final String LABEL_INDEX = "sparkfit/label-index.json";
  static final String NORMALIZER = "sparkfit/normalizer.json";
  static final String MODEL_INFO = "sparkfit/model.json";
  static final String PROVENANCE = "sparkfit/provenance.json";
  static final String INPUT_LAYOUT = "sparkfit/input-layout.json";
  /** The weight and slice columns of the metrics; absent for a model with neither (readers before it ignore it). */
  static final String METRIC_COLUMNS = "sparkfit/metric-columns.json";
  private static final Set<String> ALLOWED =
      Set.of(
          ModelSerializer.CONFIGURATION_JSON,
          ModelSerializer.COEFFICIENTS_BIN,
          ModelSerializer.UPDATER_BIN,
          FEATURE_SPEC,
          LABEL_INDEX,
          NORMALIZER,
          MODEL_INFO,
          PROVENANCE,
          INPUT_LAYOUT,
          METRIC_COLUMNS);
  /** The first two bytes of every Java serialization stream. */
  private static final int JAVA_SERIALIZATION_MAGIC = 0xACED;
  /**
   * The format of Sparkfit's entries; bump when they change. 2 added the label column, its type and
   * data.drop-invalid to model.json, which scoring needs; 3 added the provenance entry; 4 made the
   * feature spec a list of columns, each with its fill value or vocabulary; 5 added the input layout
   * (which columns feed which network input) and computation graphs; 6 added datetime columns to the
   * feature spec (an older Sparkfit cannot read them, so it must refuse the file rather than fail on it);
   * 7 added the drift reference to the provenance.
   */
  static final int FORMAT_VERSION = 7;
  /**
   * Versions this Sparkfit reads: 2 is 3 without provenance; 2 and 3 have the old feature spec; up to
   * 4 every network is a layer stack with one input taking every column; 5 is 6 without datetime columns;
   * 6 is 7 without a drift reference.
   */
  private static final Set<Integer> READABLE_VERSIONS = Set.of(2, 3, 4, 5, 6, 7);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelArchive() {}

  /** Writes the model, with its updater state, so training can continue from it. */
  public static void write(TrainedModel model, OutputStream out) throws IOException {
    ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
    ModelSerializer.writeModel(model.network().model(), dl4j, true);
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(dl4j.toByteArray()));
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        zip.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(zip);
        zip.closeEntry();
      }
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("format-version", FORMAT_VERSION);
      info.put("task", model.task().name());
      info.put("label-column", model.labelColumn().name());
      info.put("label-type", model.labelColumn().sqlType());
      info.put("drop-invalid", model.dropInvalid());
      putJson(zip, MODEL_INFO, info);
      putJson(zip, FEATURE_SPEC, model.featureSpec());
      Map<String, Object> labels = new LinkedHashMap<>();
      labels.put("kind", model.labelIndex().kind().name());
      labels.put("values", model.labelIndex().valuesAsJson());
      putJson(zip, LABEL_INDEX, labels);
      putJson(zip, NORMALIZER, model.normalizer());
      putJson(zip, INPUT_LAYOUT, model.layout());
      MetricColumns metricColumns = model.inputs().metricColumns();
      if (!metricColumns.equals(MetricColumns.none())) {
        Map<String, Object> columns = new java.util.LinkedHashMap<>();
        columns.put("weight-column", metricColumns.weightColumn().orElse(null));
        columns.put(
            "slices",
            metricColumns.slices().stream().map(sc -> Map.of("column", sc.column(), "values", sc.values())).toList());
        putJson(zip, METRIC_COLUMNS, columns);
      }
      if (model.provenance().isPresent()) {
        putJson(zip, PROVENANCE, model.provenance().get());
      }
    }
  }

  /** Reads a model written by {@link #write}; {@code source} names the file in error messages. */
  public static TrainedModel read(InputStream in, String source) throws IOException {
    return fromEntries(entries(in, source), source);
  }

  /** The provenance of a model written by {@link #write}, checked as {@link #read} checks it, without building the network. */
  static Optional<Provenance> readProvenance(InputStream in, String source) throws IOException {
    Map<String, byte[]> entries = entries(in, source);
    InvalidInputException.check(entries.containsKey(MODEL_INFO), "model %s has no entry '%s': not a Sparkfit model", source, MODEL_INFO);
    return entries.containsKey(PROVENANCE)
        ? Optional.of(entry(entries, PROVENANCE, source, bytes -> JSON.readValue(bytes, Provenance.class)))
        : Optional.empty();
  }

  /** The archive's entries, each refused unless it is one Sparkfit reads and holds no Java-serialized data. */
  private static Map<String, byte[]> entries(InputStream in, String source) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    String reading = null;
    try (ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        String name = e.getName();
        reading = name;
        InvalidInputException.check(
            ALLOWED.contains(name),
            "model %s has entry '%s', which Sparkfit does not read; refused, since it may hold Java-serialized objects",
            source,
            name);
        byte[] bytes = zip.readAllBytes();
        InvalidInputException.check(
            bytes.length < 2 || ((bytes[0] & 0xFF) << 8 | (bytes[1] & 0xFF)) != JAVA_SERIALIZATION_MAGIC,
            "model %s has Java-serialized data in entry '%s'; refused",
            source,
            name);
        entries.put(name, bytes);
        reading = null;
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      // A zip cut short, or damaged: ZipInputStream fails inside the entry it was reading.
      throw InvalidInputException.of(
          "model %s is truncated or corrupt%s (%s)",
          source,
          reading == null ? " after its last whole entry" + (entries.isEmpty() ? "" : " '" + lastKey(entries) + "'") : " in entry '" + reading + "'",
          Failures.rootMessage(e));
    }
    return entries;
  }

  private static String lastKey(Map<String, byte[]> entries) {
    String last = null;
    for (String key : entries.keySet()) {
      last = key;
    }
    return last;
  }

  /** Rebuilds the model from the archive's entries; an entry that cannot be read is named. */
  private static TrainedModel fromEntries(Map<String, byte[]> entries, String source) throws IOException {
    for (String required :
        List.of(ModelSerializer.CONFIGURATION_JSON, ModelSerializer.COEFFICIENTS_BIN, MODEL_INFO, FEATURE_SPEC, LABEL_INDEX, NORMALIZER)) {
      InvalidInputException.check(entries.containsKey(required), "model %s has no entry '%s': not a Sparkfit model", source, required);
    }
    Map<String, Object> info = entry(entries, MODEL_INFO, source, bytes -> JSON.readValue(bytes, new TypeReference<Map<String, Object>>() {}));
    Object version = info.get("format-version");
    InvalidInputException.check(
        version instanceof Integer v && READABLE_VERSIONS.contains(v),
        "model %s has format version %s; this Sparkfit reads versions %s",
        source,
        version,
        new java.util.TreeSet<>(READABLE_VERSIONS));
    Task task = Task.valueOf(String.valueOf(info.get("task")));
    LabelColumn labelColumn = new LabelColumn(String.valueOf(info.get("label-column")), String.valueOf(info.get("label-type")));
    boolean dropInvalid = Boolean.TRUE.equals(info.get("drop-invalid"));
    FeatureSpec featureSpec =
        (Integer) version >= 4
            ? entry(entries, FEATURE_SPEC, source, bytes -> JSON.readValue(bytes, FeatureSpec.class))
            : fromLayout(entry(entries, FEATURE_SPEC, source, bytes -> JSON.readValue(bytes, LayoutSpec.class)));
    LabelIndex labelIndex =
        entry(
            entries,
            LABEL_INDEX,
            source,
            bytes -> {
              Map<String, Object> labels = JSON.readValue(bytes, new TypeReference<Map<String, Object>>() {});
              return LabelIndex.fromJson(LabelKind.valueOf(String.valueOf(labels.get("kind"))), (List<?>) labels.get("values"));
            });
    Normalizer normalizer = entry(entries, NORMALIZER, source, bytes -> JSON.readValue(bytes, Normalizer.class));
    Optional<Provenance> provenance =
        entries.containsKey(PROVENANCE)
            ? Optional.of(entry(entries, PROVENANCE, source, bytes -> JSON.readValue(bytes, Provenance.class)))
            : Optional.empty();

    InputLayout layout =
        (Integer) version >= 5 && entries.containsKey(INPUT_LAYOUT)
            ? entry(entries, INPUT_LAYOUT, source, bytes -> JSON.readValue(bytes, InputLayout.class))
            : InputLayout.single(featureSpec, NetworkFactory.FEATURES_INPUT);
    String problem = layout.problemWith(featureSpec);
    InvalidInputException.check(problem == null, "model %s has an input layout that does not fit its features: %s", source, problem);

    String configuration = new String(entries.get(ModelSerializer.CONFIGURATION_JSON), StandardCharsets.UTF_8);
    // The network's JSON names classes DL4J will instantiate: only its own are accepted.
    NetworkJson.checkClasses(configuration, "model " + source);
    INDArray params = entry(entries, ModelSerializer.COEFFICIENTS_BIN, source, ModelArchive::readArray);
    INDArray updater =
        entries.containsKey(ModelSerializer.UPDATER_BIN)
            ? entry(entries, ModelSerializer.UPDATER_BIN, source, ModelArchive::readArray)
            : null;
    Network network = entry(entries, ModelSerializer.CONFIGURATION_JSON, source, bytes -> Network.fromJson(configuration, params, updater));
    MetricColumns metricColumns =
        entries.containsKey(METRIC_COLUMNS) ? entry(entries, METRIC_COLUMNS, source, ModelArchive::metricColumns) : MetricColumns.none();
    return new TrainedModel(
        network, new ModelInputs(task, featureSpec, layout, labelColumn, labelIndex, normalizer, metricColumns), dropInvalid, provenance);
  }

  private static MetricColumns metricColumns(byte[] bytes) throws IOException {
    Map<String, Object> json = JSON.readValue(bytes, new TypeReference<Map<String, Object>>() {});
    List<MetricColumns.SliceColumn> slices = new java.util.ArrayList<>();
    for (Object entry : (List<?>) json.getOrDefault("slices", List.of())) {
      Map<?, ?> slice = (Map<?, ?>) entry;
      slices.add(
          new MetricColumns.SliceColumn(
              String.valueOf(slice.get("column")), ((List<?>) slice.get("values")).stream().map(String::valueOf).toList()));
    }
    Object weight = json.get("weight-column");
    return new MetricColumns(weight == null ? Optional.empty() : Optional.of(String.valueOf(weight)), slices);
  }

  /** Reads one entry with {@code reader}; a failure names the archive and the entry. */
  private static <T> T entry(Map<String, byte[]> entries, String entry, String source, EntryReader<T> reader) {
    try {
      return reader.read(entries.get(entry));
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException known) {
        throw known;
      }
      throw InvalidInputException.of(
          "model %s: entry '%s' is truncated or corrupt (%s)", source, entry, Failures.rootMessage(e));
    }
  }

  private interface EntryReader<T> {
    T read(byte[] bytes) throws IOException;
  }

  /** The feature spec of format 2 and 3: numeric columns, or one array or vector column, and the width. */
  private record LayoutSpec(String layout, List<String> columns, int width) {}

  private static FeatureSpec fromLayout(LayoutSpec old) {
    if (old.layout().equals("COLUMNS")) {
      return new FeatureSpec(old.columns().stream().<InputColumn>map(c -> new InputColumn.Numeric(c, null, false)).toList());
    }
    return new FeatureSpec(List.of(new InputColumn.Array(old.columns().get(0), old.width())));
  }

  private static INDArray readArray(byte[] bytes) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return Nd4j.read(in);
    }
  }

  private static void putJson(ZipOutputStream zip, String name, Object value) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    zip.closeEntry();
  }
}
