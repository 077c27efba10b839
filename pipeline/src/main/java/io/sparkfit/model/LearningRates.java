package io.sparkfit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkfit.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The learning rates of a network's configuration JSON, changed for the number of workers: every
 * updater of every layer (and bias updater), including its schedule, multiplied by a factor
 * ({@code training.learning-rate-scaling}); and a warm-up that ramps each rate linearly from a
 * fraction of it to all of it over the first epochs ({@code training.learning-rate-warmup-epochs}),
 * written as DL4J's own {@code MapSchedule} by epoch, so that the saved network carries exactly the
 * rates it trained with and loads with DL4J's classes only.
 *
 * <p>Works on the JSON as DL4J writes it, for layer stacks and graphs alike: an updater is any object
 * whose {@code @class} is one of DL4J's updater configurations. A schedule by iteration cannot be
 * combined with a warm-up by epoch, and is refused then, in one line.
 */
public final class LearningRates {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UPDATERS = "org.nd4j.linalg.learning.config.";
  private static final String SCHEDULES = "org.nd4j.linalg.schedule.";
  /** The value fields of DL4J's schedules: the rates, which a factor multiplies. */
  private static final Set<String> RATE_FIELDS = Set.of("initialValue", "value", "initialLearningRate", "maxLearningRate");

  private LearningRates() {}

  /** A changed configuration, and each distinct updater's rates as the log (and the tests) read them. */
  public record Changed(String json, List<String> rates) {}

  /**
   * {@code json} with every updater's learning rate (and schedule) times {@code factor}.
   *
   * @param source names the JSON in messages
   */
  public static Changed scaled(String json, double factor, String source) {
    return change(json, (updater, path, rates) -> scale(updater, path, factor, source, rates));
  }

  /**
   * {@code json} with every updater's learning rate ramped linearly by epoch from {@code from} times
   * its rate in the first epoch to all of it from epoch {@code warmupEpochs} on (a schedule by epoch
   * goes on as it was after that).
   *
   * @param epochs {@code training.epochs}: a schedule that changes after the warm-up is written out to here
   */
  public static Changed warmedUp(String json, double from, int warmupEpochs, int epochs, String source) {
    return change(json, (updater, path, rates) -> warmUp(updater, path, from, warmupEpochs, epochs, source, rates));
  }

  private interface UpdaterChange {
    void apply(ObjectNode updater, String path, List<String> rates);
  }

  private static Changed change(String json, UpdaterChange change) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("Not a JSON network configuration", e);
    }
    List<String> rates = new ArrayList<>();
    visit(tree, "$", change, rates);
    try {
      return new Changed(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree), List.copyOf(new TreeSet<>(rates)));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write a network configuration back as JSON", e);
    }
  }

  private static void visit(JsonNode node, String path, UpdaterChange change, List<String> rates) {
    if (node.isObject()) {
      if (node.path("@class").asText().startsWith(UPDATERS)) {
        if (node.path("learningRate").isNumber() || node.path("learningRateSchedule").isObject()) {
          // Updaters without a rate (AdaDelta, NoOp) stay as they are.
          change.apply((ObjectNode) node, path, rates);
        }
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        visit(field.getValue(), path + "." + field.getKey(), change, rates);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        visit(node.get(i), path + "[" + i + "]", change, rates);
      }
    }
  }

  private static String name(ObjectNode updater) {
    return updater.path("@class").asText().substring(UPDATERS.length());
  }

  /** One updater's fixed rate, or its schedule's rates, times {@code factor}. */
  private static void scale(ObjectNode updater, String path, double factor, String source, List<String> rates) {
    JsonNode schedule = updater.path("learningRateSchedule");
    if (schedule.isObject()) {
      scaleSchedule((ObjectNode) schedule, path + ".learningRateSchedule", factor, source);
      rates.add(name(updater) + " schedule " + schedule.path("@class").asText().substring(SCHEDULES.length()) + " from " + format(firstRate(schedule)));
    } else {
      updater.put("learningRate", updater.get("learningRate").asDouble() * factor);
      rates.add(name(updater) + " " + format(updater.get("learningRate").asDouble()));
    }
  }

  /** One updater's rate as a {@code MapSchedule} by epoch: ramped over the warm-up, then as it was. */
  private static void warmUp(ObjectNode updater, String path, double from, int warmup, int epochs, String source, List<String> rates) {
    JsonNode schedule = updater.path("learningRateSchedule");
    ISchedule base = schedule.isObject() ? epochSchedule(schedule, path + ".learningRateSchedule", source) : null;
    int last = base == null || isConstantAfter(schedule) ? warmup + 1 : Math.max(epochs, warmup + 1);
    Map<Integer, Double> values = new LinkedHashMap<>();
    for (int e = 0; e < last; e++) {
      double full = base == null ? updater.path("learningRate").asDouble() : base.valueAt(0, e);
      double ramp = e >= warmup ? 1 : from + (1 - from) * e / warmup;
      values.put(e, full * ramp);
    }
    ObjectNode map = JSON.createObjectNode();
    map.put("@class", SCHEDULES + "MapSchedule");
    map.put("scheduleType", "EPOCH");
    ObjectNode entries = map.putObject("values");
    values.forEach((e, v) -> entries.put(String.valueOf(e), v));
    updater.set("learningRateSchedule", map);
    updater.put("learningRate", "NaN");
    rates.add(name(updater) + " " + describe(values));
  }

  /** Multiplies a schedule's rates, in place; a schedule of an unknown shape is refused by name. */
  private static void scaleSchedule(ObjectNode schedule, String path, double factor, String source) {
    boolean found = false;
    for (String field : RATE_FIELDS) {
      if (schedule.path(field).isNumber()) {
        schedule.put(field, schedule.get(field).asDouble() * factor);
        found = true;
      }
    }
    if (schedule.path("values").isObject()) {
      ObjectNode values = (ObjectNode) schedule.get("values");
      for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        values.put(e.getKey(), e.getValue().asDouble() * factor);
      }
      found = true;
    }
    if (schedule.path("baseSchedule").isObject()) {
      scaleSchedule((ObjectNode) schedule.get("baseSchedule"), path + ".baseSchedule", factor, source);
      found = true;
    }
    InvalidInputException.check(
        found,
        "%s has a learning-rate schedule %s at %s whose rates Sparkfit cannot scale for the workers; set training.learning-rate-scaling = none",
        source,
        schedule.path("@class").asText(),
        path);
  }

  /** The schedule as DL4J reads it, checked to go by epoch: a warm-up by epoch cannot follow one by iteration. */
  private static ISchedule epochSchedule(JsonNode schedule, String path, String source) {
    InvalidInputException.check(
        "EPOCH".equals(schedule.path("scheduleType").asText()),
        "%s has a learning-rate schedule by iteration (%s at %s), which training.learning-rate-warmup-epochs cannot ramp; "
            + "give it a schedule by epoch, or set training.learning-rate-warmup-epochs = 0",
        source,
        schedule.path("@class").asText(),
        path);
    try {
      return NeuralNetConfiguration.mapper().readValue(schedule.toString(), ISchedule.class);
    } catch (IOException e) {
      throw InvalidInputException.of("%s has a learning-rate schedule at %s DL4J cannot read: %s", source, path, e.getMessage());
    }
  }

  /** Whether a schedule stays at one value after the warm-up: a fixed one. */
  private static boolean isConstantAfter(JsonNode schedule) {
    String type = schedule.path("@class").asText();
    return type.endsWith(".FixedSchedule");
  }

  private static double firstRate(JsonNode schedule) {
    for (String field : RATE_FIELDS) {
      if (schedule.path(field).isNumber()) {
        return schedule.get(field).asDouble();
      }
    }
    if (schedule.path("values").isObject() && schedule.get("values").size() > 0) {
      return schedule.get("values").elements().next().asDouble();
    }
    return schedule.path("baseSchedule").isObject() ? firstRate(schedule.get("baseSchedule")) : Double.NaN;
  }

  /** The first epochs' rates, as {@code 0.001, 0.0015, 0.002 (epochs 1-3), then 0.002}. */
  private static String describe(Map<Integer, Double> values) {
    List<String> shown = new ArrayList<>();
    int count = 0;
    for (double v : values.values()) {
      if (count++ == 6) {
        shown.add("...");
        break;
      }
      shown.add(format(v));
    }
    return "by epoch " + String.join(", ", shown);
  }

  static String format(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }
}
