package io.sparkfit.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.sparkfit.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a HOCON job config, applies {@code key=value} overrides, rejects unknown keys by name and
 * validates every value. Every failure is an {@link InvalidInputException} with a one-line message
 * that names the key and the value found.
 */
public final class ConfigLoader {

  private static final String DEFAULTS_RESOURCE = "io/sparkfit/config/defaults.conf";
  /** Keys with no default: the job cannot run without them. */
  private static final Set<String> REQUIRED_KEYS = Set.of("data.train", "data.features", "data.label");
  /** Keys with no default that may be left out. */
  private static final Set<String> OPTIONAL_KEYS =
      Set.of(
          "data.validation", "data.weight-column", "data.categorical.max-categories", "model.updater.momentum", "model.updater.decay",
          "metrics.names", "model.init-from", "model.dl4j-configuration", "model.updater.schedule.gamma",
          "model.updater.schedule.every-epochs", "model.updater.schedule.power", "guard.promote.champion",
          "guard.promote.holdout");
  /** Free-form sections: their entries are checked by their own parser, not against the defaults. */
  private static final String SPARK_CONF = "spark.conf";
  private static final String LAYERS = "model.layers";
  private static final String EMBEDDINGS = "model.embeddings";
  private static final String DL4J_CONFIGURATION = "model.dl4j-configuration";
  private static final String CLASS_WEIGHTS = "training.class-weights";
  /** What a {@code data.features} entry written as an object may say. */
  private static final Set<String> FEATURE_KEYS =
      Set.of(
          "column", "kind", "max-categories", "min-frequency", "max-distinct", "impute", "constant", "missing-indicator", "shape", "format",
          "time-zone", "parts", "scale");

  private ConfigLoader() {}

  /** Loads a config file and applies overrides given as {@code key=value} strings. */
  public static LoadedConfig load(Path file, List<String> overrides) {
    InvalidInputException.check(!Files.isDirectory(file), "Config file %s is a directory; give a .conf file%s", file, confFilesIn(file));
    InvalidInputException.check(Files.isRegularFile(file), "Config file not found: %s", file);
    Config fileConfig;
    try {
      fileConfig =
          ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw InvalidInputException.of("Invalid config file %s: %s", file, e.getMessage());
    }
    return fromConfig(fileConfig, overrides);
  }

  /** The config files a directory holds, for a message: {@code " such as conf/quickstart.conf"}. */
  private static String confFilesIn(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      List<String> confs = files.filter(f -> f.toString().endsWith(".conf")).map(Path::toString).sorted().limit(3).toList();
      return confs.isEmpty() ? "" : " such as " + String.join(", ", confs);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** Parses HOCON text, then applies overrides: for tests and for configs built in code. */
  public static LoadedConfig parse(String hocon, List<String> overrides) {
    Config parsed;
    try {
      parsed = ConfigFactory.parseString(hocon);
    } catch (ConfigException e) {
      throw InvalidInputException.of("Invalid config: %s", e.getMessage());
    }
    return fromConfig(parsed, overrides);
  }

  private static LoadedConfig fromConfig(Config userConfig, List<String> overrides) {
    Config user = applyOverrides(userConfig, overrides);
    Config defaults = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE);
    rejectUnknownKeys(user, defaults);
    Config resolved;
    try {
      resolved = user.withFallback(defaults).resolve();
    } catch (ConfigException e) {
      throw InvalidInputException.of("Invalid config: %s", e.getMessage());
    }
    for (String key : REQUIRED_KEYS) {
      InvalidInputException.check(resolved.hasPath(key), "Missing required config key %s", key);
    }
    SparkfitConfig config =
        new SparkfitConfig(
            readData(resolved),
            readModel(resolved, user),
            readTraining(resolved),
            readMetrics(resolved),
            readOutput(resolved),
            readSpark(resolved),
            readGuard(resolved));
    return LoadedConfig.of(config, resolved);
  }

  /** The keys that evaluate and predict accept; {@code spark.conf.*} entries too. */
  public static final List<String> SCORING_KEYS =
      List.of(
          "metrics.names", "metrics.auc-bins", "metrics.top-k", "metrics.exact-auc", "scoring.batch-size",
          "data.drop-invalid", "spark.master", "spark.app-name");

  private static final int DEFAULT_SCORING_BATCH = 256;

  /** The keys of the champion/challenger gate that {@code compare} accepts. */
  public static final List<String> GATE_KEYS = List.of("guard.promote.min-improvement", "guard.promote.alpha");

  /** Reads the gate's {@code key=value} arguments of {@code compare} ({@link #GATE_KEYS}), over the defaults. */
  public static GuardConfig.Promote loadGate(List<String> overrides) {
    Config user = applyOverrides(ConfigFactory.empty(), overrides);
    for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
      String key = normalise(entry.getKey());
      InvalidInputException.check(GATE_KEYS.contains(key), "Unknown key %s for compare (accepted: %s)", key, String.join(", ", GATE_KEYS));
    }
    Config defaults = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE);
    Config resolved = user.withFallback(defaults).resolve();
    return new GuardConfig.Promote(
        Optional.empty(), Optional.empty(), Values.number(resolved, "guard.promote.min-improvement"), Values.number(resolved, "guard.promote.alpha"));
  }

  /**
   * Reads the {@code key=value} arguments of evaluate and predict. Metric names are checked against
   * the model's task; {@code data.drop-invalid} defaults to what the model was trained with.
   */
  public static ScoringConfig loadScoring(List<String> overrides, Task task, boolean modelDropInvalid) {
    Config user = applyOverrides(ConfigFactory.empty(), overrides);
    for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
      String key = normalise(entry.getKey());
      InvalidInputException.check(
          SCORING_KEYS.contains(key) || key.startsWith(SPARK_CONF + "."),
          "Unknown key %s for evaluate/predict (accepted: %s, spark.conf.*)",
          key,
          String.join(", ", SCORING_KEYS));
    }
    Map<String, Object> fromModel = new LinkedHashMap<>();
    fromModel.put("data.task", Values.lower(task));
    fromModel.put("data.drop-invalid", modelDropInvalid);
    fromModel.put("metrics.exact-auc", false);
    fromModel.put("scoring.batch-size", DEFAULT_SCORING_BATCH);
    Config defaults = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE);
    Config resolved;
    try {
      resolved = user.withFallback(ConfigFactory.parseMap(fromModel)).withFallback(defaults).resolve();
    } catch (ConfigException e) {
      throw InvalidInputException.of("Invalid argument: %s", e.getMessage());
    }
    return new ScoringConfig(
        task,
        readMetrics(resolved),
        Values.bool(resolved, "metrics.exact-auc"),
        Values.intValue(resolved, "scoring.batch-size"),
        Values.bool(resolved, "data.drop-invalid"),
        readSpark(resolved));
  }

  static Config applyOverrides(Config base, List<String> overrides) {
    Config result = ConfigFactory.empty();
    for (String override : overrides) {
      int eq = override.indexOf('=');
      InvalidInputException.check(
          eq > 0, "Invalid override '%s' (expected key=value, e.g. training.epochs=3)", override);
      String key = override.substring(0, eq).trim();
      String raw = override.substring(eq + 1).trim();
      try {
        ConfigUtil.splitPath(key);
      } catch (ConfigException e) {
        throw InvalidInputException.of("Invalid override key '%s' in '%s'", key, override);
      }
      result = result.withValue(key, overrideValue(raw));
    }
    return result.withFallback(base);
  }

  /**
   * Lists, objects, numbers, booleans and quoted strings are read as HOCON; anything else is taken
   * as the literal string, so paths such as {@code hdfs://nn/data} need no quoting.
   */
  private static ConfigValue overrideValue(String raw) {
    try {
      ConfigValue parsed = ConfigFactory.parseString("v = " + raw).getValue("v");
      if (parsed.valueType() != ConfigValueType.STRING || raw.startsWith("\"")) {
        return parsed;
      }
    } catch (ConfigException e) {
      // not HOCON: a plain string
    }
    return ConfigValueFactory.fromAnyRef(raw, "override");
  }

  private static void rejectUnknownKeys(Config user, Config defaults) {
    Set<String> known = new HashSet<>(REQUIRED_KEYS);
    known.addAll(OPTIONAL_KEYS);
    defaults.entrySet().forEach(e -> known.add(normalise(e.getKey())));
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
      String key = normalise(entry.getKey());
      if (known.contains(key)
          || key.startsWith(SPARK_CONF + ".")
          || key.equals(SPARK_CONF)
          || key.equals(LAYERS)
          || key.startsWith(EMBEDDINGS + ".")
          || key.startsWith(CLASS_WEIGHTS + ".")) {
        continue;
      }
      unknown.add(key);
    }
    if (!unknown.isEmpty()) {
      String first = unknown.iterator().next();
      throw InvalidInputException.of(
          "Unknown config key %s%s%s",
          first,
          unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more: " + unknown + ")" : "",
          suggestion(first, known));
    }
  }

  private static String suggestion(String unknown, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = editDistance(unknown, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= 3 ? "; did you mean " + best + "?" : "";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String normalise(String path) {
    return String.join(".", ConfigUtil.splitPath(path));
  }

  private static DataConfig readData(Config c) {
    Optional<String> validation =
        c.hasPath("data.validation") ? Optional.of(Values.nonBlankString(c, "data.validation")) : Optional.empty();
    return new DataConfig(
        Values.nonBlankString(c, "data.train"),
        validation,
        Values.number(c, "data.validation-fraction"),
        readFeatures(c),
        Values.nonBlankString(c, "data.label"),
        Values.enumValue(c, "data.task", Task.class),
        Values.enumValue(c, "data.normalize", Normalization.class),
        Values.bool(c, "data.drop-invalid"),
        c.hasPath("data.weight-column") ? Optional.of(Values.nonBlankString(c, "data.weight-column")) : Optional.empty());
  }

  /**
   * {@code data.features}: names, or objects with a {@code column} and overrides of
   * {@code data.categorical} and {@code data.missing} for that column.
   */
  private static List<FeatureColumn> readFeatures(Config c) {
    String key = "data.features";
    InvalidInputException.check(
        c.getValue(key).valueType() == ConfigValueType.LIST,
        "Invalid %s: %s (must be a list of column names or { column = ... } objects)",
        key,
        c.getValue(key).render(ConfigRenderOptions.concise()));
    int minFrequency = Values.intValue(c, "data.categorical.min-frequency");
    InvalidInputException.check(minFrequency >= 1, "Invalid data.categorical.min-frequency: %s (must be >= 1)", minFrequency);
    Checks.atMost(minFrequency, Limits.MAX_MIN_FREQUENCY, "data.categorical.min-frequency");
    int maxDistinct = Values.intValue(c, "data.categorical.max-distinct");
    InvalidInputException.check(
        maxDistinct >= 1 && maxDistinct <= FeatureColumn.COUNT_LIMIT,
        "Invalid data.categorical.max-distinct: %s (must be in [1, %s])",
        maxDistinct,
        FeatureColumn.COUNT_LIMIT);
    FeatureColumn defaults =
        new FeatureColumn(
            "(default)",
            FeatureKind.AUTO,
            c.hasPath("data.categorical.max-categories")
                ? maxCategories(Values.intValue(c, "data.categorical.max-categories"), "data.categorical.max-categories")
                : FeatureColumn.NO_CAP,
            minFrequency,
            maxDistinct,
            Values.enumValue(c, "data.missing.impute", Imputation.class),
            Values.number(c, "data.missing.constant"),
            Values.bool(c, "data.missing.missing-indicator"),
            List.of(),
            DateTimeOptions.DEFAULT,
            ArrayScaling.AUTO);
    List<FeatureColumn> features = new ArrayList<>();
    com.typesafe.config.ConfigList list = c.getList(key);
    for (int i = 0; i < list.size(); i++) {
      ConfigValue entry = list.get(i);
      String where = key + "[" + i + "]";
      if (entry.valueType() == ConfigValueType.STRING) {
        String name = (String) entry.unwrapped();
        InvalidInputException.check(!name.isBlank(), "Invalid %s: \"%s\" (blank column name)", where, name);
        features.add(defaults.forColumn(name));
        continue;
      }
      InvalidInputException.check(
          entry.valueType() == ConfigValueType.OBJECT,
          "Invalid %s: %s (must be a column name or an object such as { column = country, kind = categorical })",
          where,
          entry.render(ConfigRenderOptions.concise()));
      Config f = ((ConfigObject) entry).toConfig();
      for (Map.Entry<String, ConfigValue> e : f.entrySet()) {
        String k = normalise(e.getKey());
        InvalidInputException.check(
            FEATURE_KEYS.contains(k), "Unknown config key %s.%s (allowed: %s)", where, k, new TreeSet<>(FEATURE_KEYS));
      }
      InvalidInputException.check(f.hasPath("column"), "Missing %s.column (the column's name)", where);
      String name = Values.nonBlankString(f, "column", where + ".column");
      features.add(
          new FeatureColumn(
              name,
              f.hasPath("kind") ? Values.enumValue(f, "kind", where + ".kind", FeatureKind.class) : defaults.kind(),
              f.hasPath("max-categories")
                  ? maxCategories(Values.intValue(f, "max-categories", where + ".max-categories"), where + ".max-categories")
                  : defaults.maxCategories(),
              f.hasPath("min-frequency") ? Values.intValue(f, "min-frequency", where + ".min-frequency") : defaults.minFrequency(),
              f.hasPath("max-distinct") ? Values.intValue(f, "max-distinct", where + ".max-distinct") : defaults.maxDistinct(),
              f.hasPath("impute") ? Values.enumValue(f, "impute", where + ".impute", Imputation.class) : defaults.impute(),
              f.hasPath("constant") ? Values.number(f, "constant", where + ".constant") : defaults.constant(),
              f.hasPath("missing-indicator")
                  ? Values.bool(f, "missing-indicator", where + ".missing-indicator")
                  : defaults.missingIndicator(),
              f.hasPath("shape") ? Values.intList(f, "shape", where + ".shape") : List.of(),
              dateTime(f, where),
              f.hasPath("scale") ? Values.enumValue(f, "scale", where + ".scale", ArrayScaling.class) : ArrayScaling.AUTO));
    }
    return features;
  }

  /** A datetime entry's format, time-zone and parts, checked naming the entry. */
  private static DateTimeOptions dateTime(Config f, String where) {
    List<DateTimePart> parts = null;
    if (f.hasPath("parts")) {
      List<DateTimePart> list = new ArrayList<>();
      for (String part : Values.stringList(f, "parts", where + ".parts")) {
        DateTimePart known = DateTimePart.byKey(part);
        InvalidInputException.check(known != null, "Invalid %s.parts: \"%s\" (allowed: hour, weekday, yearday, elapsed)", where, part);
        list.add(known);
      }
      parts = list;
    }
    return new DateTimeOptions(
            f.hasPath("format") ? Values.nonBlankString(f, "format", where + ".format") : null,
            f.hasPath("time-zone") ? Values.nonBlankString(f, "time-zone", where + ".time-zone") : null,
            parts)
        .check(where);
  }

  /** A max-categories value, checked here so the message names its key (the defaults have no column). */
  private static int maxCategories(int value, String key) {
    InvalidInputException.check(value >= 1, "Invalid %s: %s (must be >= 1)", key, value);
    InvalidInputException.check(
        value <= FeatureColumn.COUNT_LIMIT, "Invalid %s: %s (must be <= %s)", key, value, FeatureColumn.COUNT_LIMIT);
    return value;
  }

  /** {@code training.class-weights}: {@code none}, {@code balanced}, or an object of class = weight. */
  private static ClassWeights readClassWeights(Config c) {
    ConfigValue value = c.getValue(CLASS_WEIGHTS);
    if (value.valueType() == ConfigValueType.OBJECT) {
      Map<String, Double> weights = new TreeMap<>();
      for (Map.Entry<String, ConfigValue> e : ((ConfigObject) value).entrySet()) {
        String label = e.getKey();
        InvalidInputException.check(
            e.getValue().valueType() == ConfigValueType.NUMBER,
            "Invalid %s.\"%s\": %s (must be a number)",
            CLASS_WEIGHTS,
            label,
            e.getValue().render(ConfigRenderOptions.concise()));
        weights.put(label, ((Number) e.getValue().unwrapped()).doubleValue());
      }
      return new ClassWeights.Given(weights);
    }
    String raw = value.valueType() == ConfigValueType.STRING ? ((String) value.unwrapped()).trim() : "";
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "none" -> ClassWeights.none();
      case "balanced" -> ClassWeights.balanced();
      default -> throw InvalidInputException.of(
          "Invalid %s: %s (must be none, balanced or { \"<class>\" = <weight>, ... })",
          CLASS_WEIGHTS,
          value.render(ConfigRenderOptions.concise()));
    };
  }

  private static ModelConfig readModel(Config c, Config user) {
    Optional<String> initFrom =
        c.hasPath("model.init-from") ? Optional.of(Values.nonBlankString(c, "model.init-from")) : Optional.empty();
    if (c.hasPath(DL4J_CONFIGURATION)) {
      String path = Values.nonBlankString(c, DL4J_CONFIGURATION);
      // The JSON holds the whole network: settings that describe it here would be ignored, so they are refused.
      for (String key :
          List.of(LAYERS, EMBEDDINGS, "model.updater", "model.l2", "model.weight-decay", "model.gradient-clipping")) {
        InvalidInputException.check(
            !user.hasPath(key),
            "Invalid config: model.dl4j-configuration (%s) and %s both describe the network; the JSON sets %s, give one",
            path,
            key,
            key.substring("model.".length()));
      }
      return new ModelConfig(
          List.of(),
          Map.of(),
          readUpdater(c),
          0.0,
          0.0,
          GradientClipping.none(),
          Values.longValue(c, "model.seed"),
          initFrom,
          Optional.of(path));
    }
    return new ModelConfig(
        readLayers(c),
        readEmbeddings(c),
        readUpdater(c),
        Values.number(c, "model.l2"),
        Values.number(c, "model.weight-decay"),
        new GradientClipping(
            Values.enumValue(c, "model.gradient-clipping.type", GradientClipping.Type.class),
            Values.number(c, "model.gradient-clipping.threshold")),
        Values.longValue(c, "model.seed"),
        initFrom,
        Optional.empty());
  }

  /** {@code model.embeddings}: categorical column = dimensions. */
  private static Map<String, Integer> readEmbeddings(Config c) {
    Map<String, Integer> dims = new LinkedHashMap<>();
    ConfigValue value = c.getValue(EMBEDDINGS);
    InvalidInputException.check(
        value.valueType() == ConfigValueType.OBJECT,
        "Invalid %s: %s (must be an object of column = dimensions, e.g. { merchant = 16 })",
        EMBEDDINGS,
        value.render(ConfigRenderOptions.concise()));
    for (Map.Entry<String, ConfigValue> e : new TreeMap<>(((ConfigObject) value)).entrySet()) {
      InvalidInputException.check(
          e.getValue().valueType() == ConfigValueType.NUMBER && e.getValue().unwrapped() instanceof Integer,
          "Invalid %s.\"%s\": %s (must be the number of dimensions, an integer)",
          EMBEDDINGS,
          e.getKey(),
          e.getValue().render(ConfigRenderOptions.concise()));
      dims.put(e.getKey(), (Integer) e.getValue().unwrapped());
    }
    return dims;
  }

  private static List<LayerSpec> readLayers(Config c) {
    List<? extends ConfigObject> objects;
    try {
      objects = c.getObjectList(LAYERS);
    } catch (ConfigException.WrongType e) {
      throw InvalidInputException.of(
          "Invalid model.layers: %s (must be a list of objects such as { type = dense, units = 64 })",
          c.getValue(LAYERS).render(ConfigRenderOptions.concise()));
    }
    List<LayerSpec> layers = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      Config layer = objects.get(i).toConfig();
      String where = LAYERS + "[" + i + "]";
      InvalidInputException.check(layer.hasPath("type"), "Missing %s.type (%s)", where, LayerSpec.Type.keys());
      String name = Values.nonBlankString(layer, "type", where + ".type");
      LayerSpec.Type type =
          LayerSpec.Type.byKey(name)
              .orElseThrow(() -> InvalidInputException.of("Invalid %s.type: %s (must be one of %s)", where, name, LayerSpec.Type.keys()));
      layers.add(layer(layer, where, type));
      // Checked as each is read, so the first bad layer is the one named (ModelConfig checks them all again).
      layers.get(i).check(where);
    }
    return layers;
  }

  /** One layer of {@code type} from its config object. */
  private static LayerSpec layer(Config layer, String where, LayerSpec.Type type) {
    return switch (type) {
      case DENSE -> {
        allowOnly(layer, where, type.key(), "type", "units", "activation");
        yield new LayerSpec.Dense(Values.intValue(layer, "units", where + ".units"), activation(layer, where, "relu"));
      }
      case DROPOUT -> {
        allowOnly(layer, where, type.key(), "type", "rate");
        yield new LayerSpec.Dropout(Values.number(layer, "rate", where + ".rate"));
      }
      case BATCH_NORM -> {
        allowOnly(layer, where, type.key(), "type");
        yield new LayerSpec.BatchNorm();
      }
      case CONV2D -> {
        allowOnly(layer, where, type.key(), "type", "filters", "kernel", "stride", "padding", "activation");
        boolean same = false;
        List<Integer> padding = List.of(0, 0);
        if (layer.hasPath("padding")) {
          ConfigValue p = layer.getValue("padding");
          if (p.valueType() == ConfigValueType.STRING) {
            InvalidInputException.check(
                "same".equals(p.unwrapped()), "Invalid %s.padding: %s (must be same or [rows, columns])", where, p.unwrapped());
            same = true;
          } else {
            padding = Values.intList(layer, "padding", where + ".padding");
          }
        }
        yield new LayerSpec.Conv2d(
            Values.intValue(layer, "filters", where + ".filters"),
            Values.intList(layer, "kernel", where + ".kernel"),
            layer.hasPath("stride") ? Values.intList(layer, "stride", where + ".stride") : List.of(1, 1),
            padding,
            same,
            activation(layer, where, "relu"));
      }
      case SUBSAMPLING -> {
        allowOnly(layer, where, type.key(), "type", "pooling", "kernel", "stride");
        List<Integer> kernel = layer.hasPath("kernel") ? Values.intList(layer, "kernel", where + ".kernel") : List.of(2, 2);
        yield new LayerSpec.Subsampling(
            pooling(layer, where),
            kernel,
            layer.hasPath("stride") ? Values.intList(layer, "stride", where + ".stride") : kernel);
      }
      case GLOBAL_POOLING -> {
        allowOnly(layer, where, type.key(), "type", "pooling");
        yield new LayerSpec.GlobalPooling(pooling(layer, where));
      }
      case LSTM -> {
        allowOnly(layer, where, type.key(), "type", "units", "bidirectional", "activation");
        yield new LayerSpec.Lstm(
            Values.intValue(layer, "units", where + ".units"),
            layer.hasPath("bidirectional") && Values.bool(layer, "bidirectional", where + ".bidirectional"),
            activation(layer, where, "tanh"));
      }
    };
  }

  private static String activation(Config layer, String where, String otherwise) {
    return layer.hasPath("activation")
        ? Values.nonBlankString(layer, "activation", where + ".activation").toLowerCase(Locale.ROOT)
        : otherwise;
  }

  private static LayerSpec.Pooling pooling(Config layer, String where) {
    return layer.hasPath("pooling")
        ? Values.enumValue(layer, "pooling", where + ".pooling", LayerSpec.Pooling.class)
        : LayerSpec.Pooling.MAX;
  }

  private static void allowOnly(Config layer, String where, String type, String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (Map.Entry<String, ConfigValue> e : layer.entrySet()) {
      String key = normalise(e.getKey());
      InvalidInputException.check(
          ok.contains(key), "Unknown config key %s.%s for a %s layer (allowed: %s)", where, key, type, new TreeSet<>(ok));
    }
  }

  private static UpdaterSpec readUpdater(Config c) {
    UpdaterSpec.Type type = Values.enumValue(c, "model.updater.type", UpdaterSpec.Type.class);
    double lr = Values.number(c, "model.updater.learning-rate");
    if (c.hasPath("model.updater.momentum")) {
      InvalidInputException.check(
          type == UpdaterSpec.Type.NESTEROVS,
          "Invalid config: model.updater.momentum applies only when model.updater.type = nesterovs (found %s)",
          Values.lower(type));
    }
    if (c.hasPath("model.updater.decay")) {
      InvalidInputException.check(
          type == UpdaterSpec.Type.RMSPROP,
          "Invalid config: model.updater.decay applies only when model.updater.type = rmsprop (found %s)",
          Values.lower(type));
    }
    double momentum =
        c.hasPath("model.updater.momentum") ? Values.number(c, "model.updater.momentum") : UpdaterSpec.DEFAULT_MOMENTUM;
    double decay = c.hasPath("model.updater.decay") ? Values.number(c, "model.updater.decay") : UpdaterSpec.DEFAULT_RMSPROP_DECAY;
    return new UpdaterSpec(type, lr, momentum, decay, readSchedule(c));
  }

  /** {@code model.updater.schedule}: none, step (gamma, every-epochs), exponential (gamma) or poly (power). */
  private static LearningRateSchedule readSchedule(Config c) {
    String key = "model.updater.schedule";
    String type = Values.nonBlankString(c, key + ".type").trim().toLowerCase(Locale.ROOT);
    Set<String> allowed =
        switch (type) {
          case "none" -> Set.of();
          case "step" -> Set.of("gamma", "every-epochs");
          case "exponential" -> Set.of("gamma");
          case "poly" -> Set.of("power");
          default -> throw InvalidInputException.of(
              "Invalid %s.type: %s (must be none, step, exponential or poly)", key, type);
        };
    for (String setting : List.of("gamma", "every-epochs", "power")) {
      InvalidInputException.check(
          allowed.contains(setting) || !c.hasPath(key + "." + setting),
          "Invalid config: %s.%s does not apply to %s.type = %s",
          key,
          setting,
          key,
          type);
    }
    return switch (type) {
      case "step" -> new LearningRateSchedule.Step(
          Values.number(c, key + ".gamma"), Values.intValue(c, key + ".every-epochs"));
      case "exponential" -> new LearningRateSchedule.Exponential(Values.number(c, key + ".gamma"));
      case "poly" -> new LearningRateSchedule.Poly(
          c.hasPath(key + ".power") ? Values.number(c, key + ".power") : 1.0, Values.intValue(c, "training.epochs"));
      default -> LearningRateSchedule.none();
    };
  }

  private static TrainingConfig readTraining(Config c) {
    TrainingConfig.Engine engine = Values.enumValue(c, "training.engine", TrainingConfig.Engine.class);
    InvalidInputException.check(engine.inThisBuild(), TrainingConfig.Engine.DL4J_NOT_IN_THIS_BUILD);
    return new TrainingConfig(
        engine,
        Values.intValue(c, "training.epochs"),
        Values.intValue(c, "training.batch-size-per-worker"),
        Values.intValue(c, "training.averaging-frequency"),
        readWorkers(c),
        Values.intValue(c, "training.threads-per-task"),
        Values.intValue(c, "training.exchange-port"),
        readEarlyStopping(c),
        Values.intValue(c, "training.stall-timeout-seconds"),
        Values.enumValue(c, "training.device", Device.class),
        readClassWeights(c),
        Values.enumValue(c, "training.updater-state", TrainingConfig.UpdaterState.class),
        Values.enumValue(c, "training.learning-rate-scaling", TrainingConfig.LearningRateScaling.class),
        Values.intValue(c, "training.stop-grace-seconds"),
        Values.enumValue(c, "training.exchange", TrainingConfig.Exchange.class),
        Values.bool(c, "training.exchange-overlap"),
        Values.intValue(c, "training.learning-rate-warmup-epochs"));
  }

  /** {@code training.workers}: auto (the default), 0 for every task slot, or a count. */
  private static int readWorkers(Config c) {
    if (c.getValue("training.workers").valueType() == ConfigValueType.STRING
        && c.getString("training.workers").trim().equals("auto")) {
      return TrainingConfig.AUTO_WORKERS;
    }
    try {
      return c.getInt("training.workers");
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw InvalidInputException.of(
          "Invalid training.workers: %s (must be auto, 0 for every task slot, or a number of workers)",
          c.getValue("training.workers").render(ConfigRenderOptions.concise()));
    }
  }

  private static EarlyStopping readEarlyStopping(Config c) {
    String metric = Values.nonBlankString(c, "training.early-stopping.metric");
    if (metric.equals("auto")) {
      return EarlyStopping.auto(
          withoutValidationLoss(c),
          Values.intValue(c, "training.early-stopping.patience"),
          Values.number(c, "training.early-stopping.min-delta"));
    }
    Optional<EarlyStopping.Monitored> monitored = Optional.empty();
    if (!metric.equals("none")) {
      monitored = EarlyStopping.Monitored.parse(metric);
      InvalidInputException.check(
          monitored.isPresent(),
          "Invalid training.early-stopping.metric: %s (expected validation.<metric> or train.<metric>, e.g. validation.loss)",
          metric);
    }
    return EarlyStopping.of(
        monitored,
        Values.enumValue(c, "training.early-stopping.mode", EarlyStopping.Mode.class),
        Values.intValue(c, "training.early-stopping.patience"),
        Values.number(c, "training.early-stopping.min-delta"));
  }

  /** Why a run computes no validation loss each epoch (for early stopping's {@code auto}), or empty when it does. */
  private static Optional<String> withoutValidationLoss(Config c) {
    if (Values.enumValue(c, "metrics.mode", MetricsConfig.Mode.class) == MetricsConfig.Mode.FAST) {
      return Optional.of("metrics.mode = fast computes no validation loss: every epoch runs");
    }
    if (!c.hasPath("data.validation") && Values.number(c, "data.validation-fraction") == 0) {
      return Optional.of("there is no validation data (no data.validation, data.validation-fraction = 0): every epoch runs");
    }
    return Optional.empty();
  }

  private static MetricsConfig readMetrics(Config c) {
    Task task = Values.enumValue(c, "data.task", Task.class);
    List<Metric> names = new ArrayList<>();
    if (c.hasPath("metrics.names")) {
      for (String name : Values.stringList(c, "metrics.names")) {
        names.add(
            Metric.named(name)
                .orElseThrow(
                    () -> InvalidInputException.of("Invalid metrics.names: unknown metric %s (known: %s)", name, Metric.forTask(task))));
      }
    } else {
      names.addAll(Metric.defaultsFor(task));
    }
    // Whether the names fit the task is checked by the records that know the task.
    return new MetricsConfig(
        Values.enumValue(c, "metrics.mode", MetricsConfig.Mode.class),
        names,
        Values.intValue(c, "metrics.every-epochs"),
        Values.intValue(c, "metrics.auc-bins"),
        Values.intValue(c, "metrics.top-k"),
        Values.stringList(c, "metrics.slices"),
        Values.intValue(c, "metrics.slice-values"));
  }

  private static OutputConfig readOutput(Config c) {
    return new OutputConfig(
        Values.nonBlankString(c, "output.dir"), Values.bool(c, "output.overwrite"), Values.intValue(c, "output.lease-timeout-seconds"));
  }

  private static GuardConfig readGuard(Config c) {
    String reference = Values.nonBlankString(c, "guard.drift.reference").trim();
    GuardConfig.Reference from =
        switch (reference.toLowerCase(java.util.Locale.ROOT)) {
          case "none" -> new GuardConfig.NoReference();
          case "auto" -> new GuardConfig.AutoReference();
          default -> new GuardConfig.PathReference(reference);
        };
    GuardConfig.Drift drift =
        new GuardConfig.Drift(
            from,
            Values.enumValue(c, "guard.drift.on-violation", GuardConfig.OnViolation.class),
            Values.number(c, "guard.drift.psi"),
            Values.number(c, "guard.drift.ks"),
            Values.number(c, "guard.drift.null-rate-change"),
            Values.number(c, "guard.drift.unseen-share"),
            Values.number(c, "guard.drift.label-share-change"));
    GuardConfig.Promote promote =
        new GuardConfig.Promote(
            c.hasPath("guard.promote.champion") ? Optional.of(Values.nonBlankString(c, "guard.promote.champion")) : Optional.empty(),
            c.hasPath("guard.promote.holdout") ? Optional.of(Values.nonBlankString(c, "guard.promote.holdout")) : Optional.empty(),
            Values.number(c, "guard.promote.min-improvement"),
            Values.number(c, "guard.promote.alpha"));
    return new GuardConfig(drift, promote);
  }

  private static SparkSettings readSpark(Config c) {
    String master = Values.nonBlankString(c, "spark.master");
    String appName = Values.nonBlankString(c, "spark.app-name");
    Map<String, String> conf = new TreeMap<>();
    Config sparkConf;
    try {
      sparkConf = c.getConfig(SPARK_CONF);
    } catch (ConfigException.WrongType e) {
      throw InvalidInputException.of("Invalid %s: must be an object of Spark settings", SPARK_CONF);
    }
    for (Map.Entry<String, ConfigValue> e : sparkConf.entrySet()) {
      String key = normalise(e.getKey());
      ConfigValue value = e.getValue();
      InvalidInputException.check(
          value.valueType() != ConfigValueType.LIST && value.valueType() != ConfigValueType.NULL,
          "Invalid %s.\"%s\": %s (must be a string, number or boolean)",
          SPARK_CONF,
          key,
          value.render(ConfigRenderOptions.concise()));
      conf.put(key, String.valueOf(value.unwrapped()));
    }
    return new SparkSettings(master, appName, new LinkedHashMap<>(conf));
  }
}
