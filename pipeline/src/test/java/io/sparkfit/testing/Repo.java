package io.sparkfit.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, found from whichever module directory the tests run in. */
public final class Repo {
  private Repo() {}

  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("data-samples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("No data-samples/ above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  public static Path dataSamples() {
    return root().resolve("data-samples");
  }

  public static Path conf(String name) {
    return root().resolve("conf").resolve(name);
  }
}
