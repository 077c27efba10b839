package io.sparkfit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** Where benchmark results go: {@code bench/results/NAME-DATE.csv}. */
final class BenchResults {
  private BenchResults() {}

  static void write(String name, String csv) throws IOException {
    Path dir = Path.of("bench/results");
    Files.createDirectories(dir);
    Path file = dir.resolve(name + "-" + LocalDate.now() + ".csv");
    Files.writeString(file, csv);
    System.out.println("Wrote " + file);
  }
}
