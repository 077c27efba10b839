package io.sparkfit.metrics;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named metric states that merge name by name. Immutable; the empty set is the identity of
 * {@link #merge}.
 */
public final class MetricSet implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The key of the loss state, which every run reports. */
  public static final String LOSS = "loss";
  private static final MetricSet EMPTY = new MetricSet(Map.of());

  private final TreeMap<String, MetricState> states;

  private MetricSet(Map<String, MetricState> states) {
    this.states = new TreeMap<>(states);
  }

  public static MetricSet empty() {
    return EMPTY;
  }

  public static MetricSet of(String name, MetricState state) {
    return new MetricSet(Map.of(name, state));
  }

  /** Adds or merges one named state. */
  public MetricSet with(String name, MetricState state) {
    return merge(of(name, state));
  }

  /** This set with the state under {@code name} replaced (or added). */
  public MetricSet replacing(String name, MetricState state) {
    Map<String, MetricState> copy = new TreeMap<>(states);
    copy.put(name, state);
    return new MetricSet(copy);
  }

  public MetricSet merge(MetricSet other) {
    if (other.states.isEmpty()) {
      return this;
    }
    if (states.isEmpty()) {
      return other;
    }
    Map<String, MetricState> merged = new TreeMap<>(states);
    other.states.forEach((name, state) -> merged.merge(name, state, MetricState::merge));
    return new MetricSet(merged);
  }

  public boolean isEmpty() {
    return states.isEmpty();
  }

  public Map<String, MetricState> states() {
    return Collections.unmodifiableMap(states);
  }

  /** The examples seen: the largest count of any state (all see the same examples in practice). */
  public long count() {
    return states.values().stream().mapToLong(MetricState::count).max().orElse(0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetricSet other && states.equals(other.states);
  }

  @Override
  public int hashCode() {
    return states.hashCode();
  }

  @Override
  public String toString() {
    return "MetricSet" + states;
  }
}
