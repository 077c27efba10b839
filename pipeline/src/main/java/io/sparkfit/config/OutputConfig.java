package io.sparkfit.config;

/** Where the model, metrics and provenance go; an existing directory is replaced only with overwrite. */
public record OutputConfig(String dir, boolean overwrite) {
  public OutputConfig {
    Checks.nonBlank(dir, "output.dir");
  }
}
