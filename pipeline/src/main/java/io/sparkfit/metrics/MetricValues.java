package io.sparkfit.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkfit.config.Metric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The results of one block of metrics (an epoch's training or validation metrics, or an
 * evaluation), as values: what {@code metrics.json}, the epoch log line, early stopping, checkpoints
 * and the run report all read. NaN stands for a metric over no examples (written as null).
 *
 * <p>{@link #toJson()} and {@link #fromJson(JsonNode)} are the one place the JSON layout of a block
 * lives; a checkpoint's history reads back into the values it was written from.
 *
 * @param scalars the numbers, {@code loss} first, then the metrics asked for in the order asked
 * @param count the examples the block covers
 * @param perClass per-class precision, recall, F1 (and AUC), in label-index order; empty when not asked for
 * @param confusionMatrix rows actual, columns predicted, when asked for
 */
public record MetricValues(
    Map<Metric, Double> scalars, long count, List<ClassValues> perClass, Optional<ConfusionMatrix> confusionMatrix) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public MetricValues {
    scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
    perClass = List.copyOf(perClass);
  }

  /**
   * One class's values.
   *
   * @param support the rows whose actual class this is
   * @param supportWeight for weighted metrics ({@code data.weight-column}) the sum of those rows'
   *     weights, which is scikit-learn's support with {@code sample_weight}; empty otherwise
   */
  public record ClassValues(
      String label, double precision, double recall, double f1, OptionalDouble auc, long support, OptionalDouble supportWeight) {

    /** A class's values over counted (unweighted) rows. */
    public static ClassValues counted(String label, double precision, double recall, double f1, OptionalDouble auc, long support) {
      return new ClassValues(label, precision, recall, f1, auc, support, OptionalDouble.empty());
    }

    ClassValues withAuc(double area) {
      return new ClassValues(label, precision, recall, f1, OptionalDouble.of(area), support, supportWeight);
    }
  }

  /**
   * Counts by actual (rows) and predicted (columns) class, with the label values in index order; for
   * weighted metrics ({@code data.weight-column}) the sums of the rows' weights instead, in {@code
   * weights}, and {@code counts} is empty.
   */
  public record ConfusionMatrix(List<Object> labels, List<List<Long>> counts, List<List<Double>> weights) {
    public ConfusionMatrix {
      labels = Collections.unmodifiableList(new ArrayList<>(labels));
      counts = counts.stream().map(List::copyOf).toList();
      weights = weights.stream().map(List::copyOf).toList();
    }

    /** A matrix of counted rows. */
    public static ConfusionMatrix counted(List<Object> labels, List<List<Long>> counts) {
      return new ConfusionMatrix(labels, counts, List.of());
    }

    /** A matrix of summed weights. */
    public static ConfusionMatrix weighted(List<Object> labels, List<List<Double>> weights) {
      return new ConfusionMatrix(labels, List.of(), weights);
    }

    public boolean isWeighted() {
      return !weights.isEmpty();
    }
  }

  /** The value of {@code metric}, when this block has it. */
  public OptionalDouble scalar(Metric metric) {
    Double v = scalars.get(metric);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * These values with AUC-ROC and AUC-PR replaced, where present, by {@code roc} and {@code pr} (and
   * each class's AUC by {@code perClassRoc}, when given one value per class): for exact areas.
   */
  public MetricValues withAreas(double roc, double pr, Optional<double[]> perClassRoc) {
    Map<Metric, Double> replaced = new LinkedHashMap<>(scalars);
    replaced.computeIfPresent(Metric.AUC, (k, v) -> roc);
    replaced.computeIfPresent(Metric.AUC_PR, (k, v) -> pr);
    List<ClassValues> classes = perClass;
    if (perClassRoc.isPresent() && perClassRoc.get().length == perClass.size()) {
      double[] areas = perClassRoc.get();
      classes = new ArrayList<>();
      for (int c = 0; c < perClass.size(); c++) {
        ClassValues v = perClass.get(c);
        classes.add(v.auc().isPresent() ? v.withAuc(areas[c]) : v);
      }
    }
    return new MetricValues(replaced, count, classes, confusionMatrix);
  }

  /** The block as it stands in {@code metrics.json}. */
  public ObjectNode toJson() {
    ObjectNode out = JSON.createObjectNode();
    scalars.forEach((metric, v) -> putNumber(out, metric.key(), v));
    out.put("count", count);
    if (!perClass.isEmpty()) {
      ObjectNode classes = out.putObject("per-class");
      for (ClassValues c : perClass) {
        ObjectNode values = classes.putObject(c.label());
        putNumber(values, "precision", c.precision());
        putNumber(values, "recall", c.recall());
        putNumber(values, "f1", c.f1());
        c.auc().ifPresent(auc -> putNumber(values, "auc", auc));
        values.put("support", c.support());
        c.supportWeight().ifPresent(w -> putNumber(values, "support-weight", w));
      }
    }
    confusionMatrix.ifPresent(
        m -> {
          ObjectNode matrix = out.putObject(Metric.CONFUSION_MATRIX.key());
          matrix.set("labels", JSON.valueToTree(m.labels()));
          matrix.put("rows", "actual");
          matrix.put("columns", "predicted");
          if (m.isWeighted()) {
            matrix.set("weights", JSON.valueToTree(m.weights()));
          } else {
            matrix.set("counts", JSON.valueToTree(m.counts()));
          }
        });
    return out;
  }

  /** Reads a block written by {@link #toJson()}. */
  public static MetricValues fromJson(JsonNode block) {
    Map<Metric, Double> scalars = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      Metric.named(field.getKey())
          .filter(Metric::isScalar)
          .ifPresent(m -> scalars.put(m, number(field.getValue())));
    }
    List<ClassValues> perClass = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = block.path("per-class").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> c = it.next();
      JsonNode v = c.getValue();
      perClass.add(
          new ClassValues(
              c.getKey(),
              number(v.get("precision")),
              number(v.get("recall")),
              number(v.get("f1")),
              v.has("auc") ? OptionalDouble.of(number(v.get("auc"))) : OptionalDouble.empty(),
              v.path("support").asLong(),
              v.has("support-weight") ? OptionalDouble.of(number(v.get("support-weight"))) : OptionalDouble.empty()));
    }
    Optional<ConfusionMatrix> matrix = Optional.empty();
    JsonNode m = block.get(Metric.CONFUSION_MATRIX.key());
    if (m != null) {
      List<Object> labels = new ArrayList<>();
      m.path("labels").forEach(l -> labels.add(JSON.convertValue(l, Object.class)));
      List<List<Long>> counts = new ArrayList<>();
      for (JsonNode row : m.path("counts")) {
        List<Long> r = new ArrayList<>();
        row.forEach(x -> r.add(x.asLong()));
        counts.add(r);
      }
      List<List<Double>> weights = new ArrayList<>();
      for (JsonNode row : m.path("weights")) {
        List<Double> r = new ArrayList<>();
        row.forEach(x -> r.add(x.asDouble()));
        weights.add(r);
      }
      matrix = Optional.of(new ConfusionMatrix(labels, counts, weights));
    }
    return new MetricValues(scalars, block.path("count").asLong(), perClass, matrix);
  }

  private static void putNumber(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }

  private static double number(JsonNode value) {
    return value == null || !value.isNumber() ? Double.NaN : value.asDouble();
  }
}
