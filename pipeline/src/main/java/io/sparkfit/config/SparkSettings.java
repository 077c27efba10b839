package io.sparkfit.config;

import java.util.Map;

/**
 * Spark settings.
 *
 * @param master used only when the job was not launched by spark-submit (which sets its own)
 * @param conf entries copied into the SparkConf
 */
public record SparkSettings(String master, String appName, Map<String, String> conf) {

  public SparkSettings {
    Checks.nonBlank(master, "spark.master");
    Checks.nonBlank(appName, "spark.app-name");
    conf = Map.copyOf(conf);
  }
}
