package io.sparkfit.inputs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a drift check compares: a table's schema, and per feature column its distribution as the
 * training data's one profiling pass found it. Saved in every model's provenance (so the next run
 * can check its data against it) and made the same way for the data of a run about to train.
 *
 * @param rows the valid rows profiled
 * @param schema every column of the table, with its Spark SQL type
 * @param label the label column
 * @param labelCounts for classification, how many rows hold each class (its text); null for regression
 * @param columns each feature column's distribution
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DriftReference(
    long rows,
    List<TableColumn> schema,
    String label,
    @JsonProperty("label-counts") Map<String, Long> labelCounts,
    List<Column> columns)
    implements Serializable {

  public DriftReference {
    schema = List.copyOf(schema);
    labelCounts = labelCounts == null ? null : Map.copyOf(labelCounts);
    columns = List.copyOf(columns);
  }

  /** The most values of a categorical column a saved reference keeps (the rest count as other). */
  public static final int SAVED_VOCABULARY = 1000;

  /**
   * This reference with each categorical column's counts cut to its {@code limit} most frequent
   * values (ties by value), the rest counted as other: what a model saves. The new data's side of a
   * check keeps every count, so that its rows are matched against the reference's values exactly.
   */
  public DriftReference withVocabularyAtMost(int limit) {
    List<Column> cut = new java.util.ArrayList<>();
    for (Column c : columns) {
      if (c.vocabulary() == null || c.vocabulary().counts().size() <= limit) {
        cut.add(c);
        continue;
      }
      List<Map.Entry<String, Long>> sorted = new java.util.ArrayList<>(c.vocabulary().counts().entrySet());
      sorted.sort(
          Map.Entry.<String, Long>comparingByValue(java.util.Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
      Map<String, Long> kept = new java.util.LinkedHashMap<>();
      long other = c.vocabulary().other();
      for (Map.Entry<String, Long> e : sorted) {
        if (kept.size() < limit) {
          kept.put(e.getKey(), e.getValue());
        } else {
          other += e.getValue();
        }
      }
      cut.add(new Column(c.column(), c.kind(), c.type(), c.values(), c.nulls(), c.buckets(), c.bins(), new Vocabulary(kept, other, c.vocabulary().complete())));
    }
    return new DriftReference(rows, schema, label, labelCounts, cut);
  }

  /** A column of the table and its Spark SQL type ({@code catalogString}). */
  public record TableColumn(String column, String type) implements Serializable {}

  /**
   * One feature column over the valid rows: how many held a value and how many were missing, and
   * for numbers (and dates) their buckets and population-stability bins, for categories their counts.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Column(String column, String kind, String type, long values, long nulls, Buckets buckets, Bins bins, Vocabulary vocabulary)
      implements Serializable {}

  /**
   * Counts per bucket ({@code io.sparkfit.features.BucketSketch}): logarithmic buckets of {@code
   * relative-accuracy} for numbers, or buckets of a fixed {@code width} (one day for dates, whose
   * values lie far from zero); {@code keys} ascending, ordered like the values they hold;
   * {@code upper-bounds} is each bucket's largest value.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Buckets(
      @JsonProperty("relative-accuracy") double relativeAccuracy,
      Double width,
      List<Integer> keys,
      List<Long> counts,
      @JsonProperty("upper-bounds") List<Double> upperBounds)
      implements Serializable {
    public Buckets {
      keys = List.copyOf(keys);
      counts = List.copyOf(counts);
      upperBounds = List.copyOf(upperBounds);
    }
  }

  /**
   * The reference's quantile bins: bin {@code i} holds the values of the buckets with keys up to
   * {@code edge-keys[i]} (and above the previous edge); {@code edges[i]} is that bucket's largest
   * value, the last bin is open above. {@code counts} are the reference's rows per bin.
   */
  public record Bins(List<Double> edges, @JsonProperty("edge-keys") List<Integer> edgeKeys, List<Long> counts) implements Serializable {
    public Bins {
      edges = List.copyOf(edges);
      edgeKeys = List.copyOf(edgeKeys);
      counts = List.copyOf(counts);
    }
  }

  /**
   * A categorical column's counts per value; {@code other} counts the rows whose value is not among
   * them (the reference keeps its most frequent values), {@code complete} is false when the column
   * had too many distinct values to count.
   */
  public record Vocabulary(Map<String, Long> counts, long other, boolean complete) implements Serializable {
    public Vocabulary {
      counts = Map.copyOf(counts);
    }
  }
}
