package io.sparkfit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/** What Sparkfit's packages depend on, as the JDK's {@code jdeps} reads the compiled classes. */
final class Jdeps {
  private static final Pattern EDGE = Pattern.compile("^\\s*(io\\.sparkfit[\\w.]*)\\s+->\\s+([\\w.$]+)\\s");

  private Jdeps() {}

  /** This build's compiled main classes (each build has its own output folder; surefire says which). */
  static Path classesDir() {
    return Path.of(System.getProperty("sparkfit.classes.dir", "target/classes"));
  }

  /** Each Sparkfit package and the packages (any, Sparkfit's or not) its classes use. */
  static Map<String, Set<String>> packageEdges(Path classes) {
    assertThat(Files.isDirectory(classes)).as("compiled classes at %s", classes.toAbsolutePath()).isTrue();
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("this JDK has no jdeps"));
    StringWriter out = new StringWriter();
    int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none", classes.toString());
    assertThat(code).as(out.toString()).isZero();
    Map<String, Set<String>> edges = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find() && !m.group(1).equals(m.group(2))) {
        edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
      }
    }
    return edges;
  }

  /** The same, keeping only the edges between Sparkfit's own packages. */
  static Map<String, Set<String>> sparkfitEdges(Path classes) {
    Map<String, Set<String>> edges = new TreeMap<>();
    packageEdges(classes).forEach((from, to) -> {
      Set<String> own = new TreeSet<>();
      to.stream().filter(p -> p.startsWith("io.sparkfit")).forEach(own::add);
      if (!own.isEmpty()) {
        edges.put(from, own);
      }
    });
    return edges;
  }
}
