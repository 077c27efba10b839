package io.sparkfit.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/** What this build of Sparkfit is: versions it was built against and the git commit, when known. */
public record BuildInfo(String sparkfitVersion, String sparkVersion, String dl4jVersion, String dl4jSparkVersion, Optional<String> gitCommit) {

  private static final String RESOURCE = "io/sparkfit/build.properties";

  public static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String commit = p.getProperty("git.commit", "");
    Optional<String> gitCommit =
        commit.isBlank() || commit.startsWith("${")
            ? Optional.empty()
            : Optional.of("true".equals(p.getProperty("git.dirty")) ? commit + "-dirty" : commit);
    return new BuildInfo(
        p.getProperty("sparkfit.version", "unknown"),
        p.getProperty("spark.version", "unknown"),
        p.getProperty("dl4j.version", "unknown"),
        p.getProperty("dl4j-spark.version", "unknown"),
        gitCommit);
  }
}
