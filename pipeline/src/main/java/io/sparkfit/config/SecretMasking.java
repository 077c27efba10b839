package io.sparkfit.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Masks values whose keys look like secrets before a config is logged or saved. */
final class SecretMasking {
  private static final Pattern SECRET_KEY = Pattern.compile("password|secret|token|key", Pattern.CASE_INSENSITIVE);
  static final String MASK = "*****";

  private SecretMasking() {}

  static Config mask(Config config) {
    Config masked = config;
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      String leaf = e.getKey().toLowerCase(Locale.ROOT);
      if (SECRET_KEY.matcher(leaf).find()) {
        masked = masked.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(MASK));
      }
    }
    return masked;
  }
}
