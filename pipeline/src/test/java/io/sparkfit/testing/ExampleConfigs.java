package io.sparkfit.testing;

import io.sparkfit.config.ConfigLoader;
import io.sparkfit.config.DataConfig;
import io.sparkfit.config.LoadedConfig;
import io.sparkfit.config.ScoringConfig;
import io.sparkfit.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The example configs of {@code conf/} as tests run them: absolute data paths, output in a temporary folder. */
public final class ExampleConfigs {
  private ExampleConfigs() {}

  /** {@code conf/<conf>} training on {@code train}, writing to {@code output}, with {@code overrides} after. */
  public static LoadedConfig load(String conf, String train, Path output, String... overrides) {
    List<String> all = new ArrayList<>();
    all.add("data.train=" + train);
    all.add("output.dir=" + output);
    all.addAll(List.of(overrides));
    return ConfigLoader.load(Repo.conf(conf), all);
  }

  /** The scoring settings for {@code model}: its own defaults, then {@code overrides}. */
  public static ScoringConfig scoring(TrainedModel model, String... overrides) {
    return ConfigLoader.loadScoring(List.of(overrides), model.task(), model.dropInvalid());
  }

  /** {@code data} reading its training rows from {@code train}. */
  public static DataConfig withTrain(DataConfig data, String train) {
    return new DataConfig(
        train, data.validation(), data.validationFraction(), data.features(), data.label(), data.task(), data.normalize(), data.dropInvalid(), data.weightColumn());
  }
}
