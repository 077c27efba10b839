package io.sparkfit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every concern has one owner: Sparkfit's packages depend on each other without cycles, as the
 * JDK's {@code jdeps} reads them from the compiled classes.
 */
class PackageCyclesTest {

  @Test
  void sparkfitPackagesHaveNoCycles() {
    Map<String, Set<String>> edges = Jdeps.sparkfitEdges(Jdeps.classesDir());
    assertThat(edges).as("jdeps found the packages").containsKeys("io.sparkfit.run", "io.sparkfit.train", "io.sparkfit.score");
    assertThat(edges.get("io.sparkfit.run")).as("jdeps found the dependencies").contains("io.sparkfit.train");

    assertThat(cycles(edges)).isEmpty();
  }

  @Test
  void findsACycleWhereThereIsOne() {
    Map<String, Set<String>> edges = new TreeMap<>();
    edges.put("a", new TreeSet<>(Set.of("b")));
    edges.put("b", new TreeSet<>(Set.of("c")));
    edges.put("c", new TreeSet<>(Set.of("a")));
    edges.put("d", new TreeSet<>(Set.of("a")));
    assertThat(cycles(edges)).containsExactly(List.of("a", "b", "c"));
  }

  /** The strongly connected components of more than one package (Tarjan's algorithm), each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> edges) {
    Set<String> nodes = new TreeSet<>(edges.keySet());
    edges.values().forEach(nodes::addAll);
    Map<String, Integer> index = new TreeMap<>();
    Map<String, Integer> low = new TreeMap<>();
    List<String> stack = new ArrayList<>();
    List<List<String>> found = new ArrayList<>();
    for (String node : nodes) {
      if (!index.containsKey(node)) {
        connect(node, edges, index, low, stack, found);
      }
    }
    return found;
  }

  private static void connect(
      String node, Map<String, Set<String>> edges, Map<String, Integer> index, Map<String, Integer> low, List<String> stack,
      List<List<String>> found) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.add(node);
    for (String next : edges.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, edges, index, low, stack, found);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      List<String> component = new ArrayList<>();
      String member;
      do {
        member = stack.remove(stack.size() - 1);
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        component.sort(String::compareTo);
        found.add(component);
      }
    }
  }
}
