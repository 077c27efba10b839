package io.sparkfit.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.SparkfitConfig;
import io.sparkfit.data.TrainingData;
import io.sparkfit.inputs.DriftReference;
import io.sparkfit.model.Provenance;
import io.sparkfit.model.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;

/** Records a finished run's {@link Provenance}. */
final class RunProvenance {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunProvenance() {}

  static Provenance of(
      LoadedConfig loaded, JavaSparkContext sc, TrainingData data, TrainedModel model, Optional<double[]> classWeights, Instant started) {
    SparkfitConfig config = loaded.config();
    Map<String, Provenance.Input> inputs = new LinkedHashMap<>();
    inputs.put("data.train", input(config.data().train(), data.trainCounts(), null, null));
    if (config.data().validation().isPresent()) {
      inputs.put("data.validation", input(config.data().validation().get(), data.validationCounts(), null, null));
    } else if (data.hasValidation()) {
      inputs.put(
          "data.validation",
          input(config.data().train(), data.validationCounts(), config.data().validationFraction(), config.model().seed()));
    }
    Provenance.ModelSummary summary =
        new Provenance.ModelSummary(
            config.data().task().name().toLowerCase(Locale.ROOT),
            data.featureSpec().columnNames(),
            data.featureSpec().width(),
            model.labelIndex().values(),
            model.normalizer().kind().name().toLowerCase(Locale.ROOT),
            model.network().numParams(),
            classWeights.map(w -> byClass(model.labelIndex().values(), w)).orElse(null));
    BuildInfo build = BuildInfo.load();
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("sparkfit", build.sparkfitVersion());
    versions.put("spark", sc.version());
    versions.put("deeplearning4j", build.dl4jVersion());
    versions.put("sparkfit-build", build.build());
    build.dl4jSparkVersion().ifPresent(v -> versions.put("dl4j-spark", v));
    versions.put("java", System.getProperty("java.version"));
    versions.put("scala", scala.util.Properties.versionNumberString());
    try {
      return new Provenance(
          JSON.readTree(loaded.resolvedJson()),
          inputs,
          data.profile(),
          summary,
          versions,
          build.gitCommit().orElse(null),
          sc.sc().applicationId(),
          sc.master(),
          started.toString(),
          Instant.now().toString(),
          data.driftReference().withVocabularyAtMost(DriftReference.SAVED_VOCABULARY));
    } catch (IOException e) {
      throw new UncheckedIOException("The resolved config is not JSON", e);
    }
  }

  private static Map<String, Double> byClass(List<Object> classes, double[] weights) {
    Map<String, Double> byClass = new LinkedHashMap<>();
    for (int c = 0; c < weights.length; c++) {
      byClass.put(String.valueOf(classes.get(c)), weights[c]);
    }
    return byClass;
  }

  private static Provenance.Input input(String path, TrainingData.RowCounts counts, Double splitFraction, Long splitSeed) {
    return new Provenance.Input(path, counts.read(), counts.dropped(), counts.used(), splitFraction, splitSeed);
  }
}
