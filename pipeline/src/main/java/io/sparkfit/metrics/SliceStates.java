package io.sparkfit.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The metric states of one slice column ({@code metrics.slices}), one {@link MetricSet} per slice
 * index: a state like any other, so a column's slices travel in the same accumulator as the whole
 * data's states and merge slice by slice on the driver. Immutable.
 */
public final class SliceStates implements MetricState {
  private static final long serialVersionUID = 1L;

  private final List<MetricSet> bySlice;

  SliceStates(List<MetricSet> bySlice) {
    this.bySlice = Collections.unmodifiableList(new ArrayList<>(bySlice));
  }

  /** No examples in any of {@code slices} slices: the identity of {@link #merge}. */
  static SliceStates empty(int slices) {
    return new SliceStates(Collections.nCopies(slices, MetricSet.empty()));
  }

  /** This state with {@code state} merged into the slice at {@code index}. */
  SliceStates adding(int index, MetricSet state) {
    List<MetricSet> copy = new ArrayList<>(bySlice);
    copy.set(index, copy.get(index).merge(state));
    return new SliceStates(copy);
  }

  /** The states of the slice at {@code index} (empty when none of its rows was seen). */
  public MetricSet slice(int index) {
    return bySlice.get(index);
  }

  /** How many slices there are. */
  public int slices() {
    return bySlice.size();
  }

  @Override
  public MetricState merge(MetricState other) {
    SliceStates o = (SliceStates) other;
    if (o.bySlice.size() != bySlice.size()) {
      throw new IllegalArgumentException("Cannot merge the states of " + o.bySlice.size() + " slices into " + bySlice.size());
    }
    List<MetricSet> merged = new ArrayList<>(bySlice.size());
    for (int i = 0; i < bySlice.size(); i++) {
      merged.add(bySlice.get(i).merge(o.bySlice.get(i)));
    }
    return new SliceStates(merged);
  }

  /** Every row is in exactly one slice of a column: the rows of all its slices. */
  @Override
  public long count() {
    return bySlice.stream().mapToLong(MetricSet::count).sum();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SliceStates other && bySlice.equals(other.bySlice);
  }

  @Override
  public int hashCode() {
    return bySlice.hashCode();
  }

  @Override
  public String toString() {
    return "SliceStates" + bySlice;
  }
}
