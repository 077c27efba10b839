package io.sparkfit.guard;

import io.sparkfit.config.GuardConfig;
import io.sparkfit.inputs.DriftReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares a table's drift profile with a reference's, column by column, on the driver: the
 * profiles already hold every count this needs, so the check reads no data.
 *
 * <ul>
 *   <li>Schema: columns added, missing, or of another type.
 *   <li>Every feature column: the change of its share of missing values.
 *   <li>Numbers and dates: the population stability index over the reference's decile bins, and the
 *       two-sample Kolmogorov–Smirnov distance, both on the buckets of the one-pass sketch (values
 *       within 0.5% of each other share a bucket; distinct values further apart are never confused).
 *   <li>Categories: the population stability index over the reference's values plus one bin for all
 *       others, and the growth of the share of values outside the reference's.
 *   <li>The label's classes: the population stability index over the classes and the largest
 *       change of a class's share.
 * </ul>
 *
 * PSI is {@code Σ (p - q) ln(p / q)} over the bins, p the new share and q the reference's, each share
 * at least {@link #SHARE_FLOOR} so that an empty bin counts as a large shift rather than an infinite one.
 */
public final class DriftCheck {
  /** The smallest share a bin counts with in the population stability index. */
  public static final double SHARE_FLOOR = 1e-4;
  /** A categorical value has a PSI bin of its own when it holds at least this share of the reference's rows. */
  public static final double MIN_BIN_SHARE = 0.01;

  private DriftCheck() {}

  public static DriftTable compare(DriftReference reference, String referenceName, DriftReference current, GuardConfig.Drift limits) {
    List<DriftTable.ColumnDrift> rows = new ArrayList<>();
    Map<String, String> referenceTypes = types(reference.schema());
    Map<String, String> currentTypes = types(current.schema());
    Map<String, DriftReference.Column> referenceColumns = byName(reference.columns());
    Map<String, DriftReference.Column> currentColumns = byName(current.columns());
    for (Map.Entry<String, String> column : referenceTypes.entrySet()) {
      String name = column.getKey();
      String type = currentTypes.get(name);
      if (type == null) {
        rows.add(schemaOnly(name, kindOf(referenceColumns, name), "missing", column.getValue(), null, "missing from the new data"));
      } else if (!type.equals(column.getValue())) {
        rows.add(
            schemaOnly(
                name, kindOf(currentColumns, name), "type-changed", column.getValue(), type, "type " + type + " (was " + column.getValue() + ")"));
      } else if (currentColumns.containsKey(name) && referenceColumns.containsKey(name)) {
        rows.add(distribution(referenceColumns.get(name), currentColumns.get(name), limits));
      } else if (!name.equals(reference.label())) {
        rows.add(
            new DriftTable.ColumnDrift(
                name, kindOf(currentColumns, name), "ok", column.getValue(), type, null, null, null, null, null, null, null, List.of()));
      }
    }
    for (Map.Entry<String, String> column : currentTypes.entrySet()) {
      if (!referenceTypes.containsKey(column.getKey())) {
        rows.add(schemaOnly(column.getKey(), kindOf(currentColumns, column.getKey()), "added", null, column.getValue(), "not in the reference"));
      }
    }
    if (reference.labelCounts() != null && current.labelCounts() != null && currentTypes.containsKey(current.label())) {
      rows.add(label(current.label(), reference.labelCounts(), current.labelCounts(), limits));
    }
    return new DriftTable(
        referenceName, limits.onViolation().name().toLowerCase(Locale.ROOT), reference.rows(), current.rows(), rows);
  }

  private static DriftTable.ColumnDrift schemaOnly(String column, String kind, String status, String was, String now, String violation) {
    return new DriftTable.ColumnDrift(column, kind, status, was, now, null, null, null, null, null, null, null, List.of(violation));
  }

  private static DriftTable.ColumnDrift distribution(DriftReference.Column reference, DriftReference.Column current, GuardConfig.Drift limits) {
    List<String> violations = new ArrayList<>();
    double referenceNulls = nullRate(reference);
    double nulls = nullRate(current);
    if (Math.abs(nulls - referenceNulls) > limits.nullRateChange()) {
      violations.add(String.format(Locale.ROOT, "null rate %.4f (was %.4f; change above %s)", nulls, referenceNulls, limits.nullRateChange()));
    }
    Double psi = null;
    Double ks = null;
    Double referenceUnseen = null;
    Double unseen = null;
    if (reference.bins() != null
        && current.buckets() != null
        && sameGrid(reference.buckets(), current.buckets())
        && current.values() > 0
        && reference.values() > 0) {
      psi = psi(reference.bins().counts(), binCounts(reference.bins(), current.buckets()));
      ks = ks(reference.buckets(), current.buckets());
      if (psi > limits.psi()) {
        violations.add(String.format(Locale.ROOT, "PSI %.4f (above %s)", psi, limits.psi()));
      }
      if (ks > limits.ks()) {
        violations.add(String.format(Locale.ROOT, "KS %.4f (above %s)", ks, limits.ks()));
      }
    } else if (reference.vocabulary() != null
        && current.vocabulary() != null
        && reference.vocabulary().complete()
        && current.vocabulary().complete()
        && current.values() > 0
        && reference.values() > 0) {
      DriftReference.Vocabulary was = reference.vocabulary();
      DriftReference.Vocabulary now = current.vocabulary();
      // PSI bins: the reference's values holding at least MIN_BIN_SHARE of its rows, and one bin for the
      // rest (its rarer values, values it folded into other, values it never had): a thousand sparse
      // bins would add noise alone above the threshold.
      List<Long> referenceCounts = new ArrayList<>();
      List<Long> currentCounts = new ArrayList<>();
      long binnedReference = 0;
      long binnedCurrent = 0;
      long matched = 0;
      for (Map.Entry<String, Long> value : new java.util.TreeMap<>(was.counts()).entrySet()) {
        long count = now.counts().getOrDefault(value.getKey(), 0L);
        matched += count;
        if (value.getValue() >= MIN_BIN_SHARE * reference.values()) {
          referenceCounts.add(value.getValue());
          currentCounts.add(count);
          binnedReference += value.getValue();
          binnedCurrent += count;
        }
      }
      referenceCounts.add(reference.values() - binnedReference);
      currentCounts.add(current.values() - binnedCurrent);
      psi = psi(referenceCounts, currentCounts);
      referenceUnseen = (double) was.other() / reference.values();
      unseen = (double) (current.values() - matched) / current.values();
      if (psi > limits.psi()) {
        violations.add(String.format(Locale.ROOT, "PSI %.4f (above %s)", psi, limits.psi()));
      }
      if (unseen - referenceUnseen > limits.unseenShare()) {
        List<String> examples =
            now.counts().keySet().stream().filter(v -> !was.counts().containsKey(v)).sorted().limit(3).toList();
        violations.add(
            String.format(
                Locale.ROOT,
                "%.4f of the rows hold values the reference does not (was %.4f; growth above %s), e.g. %s",
                unseen,
                referenceUnseen,
                limits.unseenShare(),
                examples));
      }
    }
    return new DriftTable.ColumnDrift(
        current.column(),
        current.kind(),
        violations.isEmpty() ? "ok" : "drift",
        reference.type(),
        current.type(),
        referenceNulls,
        nulls,
        psi,
        ks,
        referenceUnseen,
        unseen,
        null,
        violations);
  }

  private static DriftTable.ColumnDrift label(String column, Map<String, Long> reference, Map<String, Long> current, GuardConfig.Drift limits) {
    TreeSet<String> classes = new TreeSet<>(reference.keySet());
    classes.addAll(current.keySet());
    List<Long> was = new ArrayList<>();
    List<Long> now = new ArrayList<>();
    for (String c : classes) {
      was.add(reference.getOrDefault(c, 0L));
      now.add(current.getOrDefault(c, 0L));
    }
    double psi = psi(was, now);
    double wasTotal = was.stream().mapToLong(Long::longValue).sum();
    double nowTotal = now.stream().mapToLong(Long::longValue).sum();
    double change = 0;
    String most = null;
    int i = 0;
    for (String c : classes) {
      double delta = Math.abs(now.get(i) / nowTotal - was.get(i) / wasTotal);
      if (delta > change) {
        change = delta;
        most = c;
      }
      i++;
    }
    List<String> violations = new ArrayList<>();
    if (psi > limits.psi()) {
      violations.add(String.format(Locale.ROOT, "PSI %.4f over the classes (above %s)", psi, limits.psi()));
    }
    if (change > limits.labelShareChange()) {
      violations.add(String.format(Locale.ROOT, "class '%s' share changed by %.4f (above %s)", most, change, limits.labelShareChange()));
    }
    return new DriftTable.ColumnDrift(
        column, "label", violations.isEmpty() ? "ok" : "drift", null, null, null, null, psi, null, null, null, change, violations);
  }

  /** Buckets compare only on one grid: the same relative accuracy, or the same width. */
  private static boolean sameGrid(DriftReference.Buckets a, DriftReference.Buckets b) {
    return a.relativeAccuracy() == b.relativeAccuracy() && java.util.Objects.equals(a.width(), b.width());
  }

  private static double nullRate(DriftReference.Column column) {
    long all = column.values() + column.nulls();
    return all == 0 ? 0 : (double) column.nulls() / all;
  }

  /** The new data's count in each of the reference's bins: bucket keys up to each edge key, the last bin open above. */
  static List<Long> binCounts(DriftReference.Bins bins, DriftReference.Buckets buckets) {
    List<Integer> edges = bins.edgeKeys();
    long[] counts = new long[edges.size()];
    int bin = 0;
    for (int i = 0; i < buckets.keys().size(); i++) {
      int key = buckets.keys().get(i);
      while (bin < edges.size() - 1 && key > edges.get(bin)) {
        bin++;
      }
      counts[bin] += buckets.counts().get(i);
    }
    return java.util.Arrays.stream(counts).boxed().toList();
  }

  /** The population stability index of {@code current} against {@code reference}, counts over the same bins. */
  static double psi(List<Long> reference, List<Long> current) {
    double referenceTotal = reference.stream().mapToLong(Long::longValue).sum();
    double currentTotal = current.stream().mapToLong(Long::longValue).sum();
    double psi = 0;
    for (int i = 0; i < reference.size(); i++) {
      double q = Math.max(reference.get(i) / referenceTotal, SHARE_FLOOR);
      double p = Math.max(current.get(i) / currentTotal, SHARE_FLOOR);
      psi += (p - q) * Math.log(p / q);
    }
    return psi;
  }

  /** The largest gap between the two cumulative distributions, at every bucket either holds. */
  static double ks(DriftReference.Buckets reference, DriftReference.Buckets current) {
    double referenceTotal = reference.counts().stream().mapToLong(Long::longValue).sum();
    double currentTotal = current.counts().stream().mapToLong(Long::longValue).sum();
    int i = 0;
    int j = 0;
    long a = 0;
    long b = 0;
    double distance = 0;
    while (i < reference.keys().size() || j < current.keys().size()) {
      int ka = i < reference.keys().size() ? reference.keys().get(i) : Integer.MAX_VALUE;
      int kb = j < current.keys().size() ? current.keys().get(j) : Integer.MAX_VALUE;
      int key = Math.min(ka, kb);
      if (ka == key) {
        a += reference.counts().get(i++);
      }
      if (kb == key) {
        b += current.counts().get(j++);
      }
      distance = Math.max(distance, Math.abs(a / referenceTotal - b / currentTotal));
    }
    return distance;
  }

  private static Map<String, String> types(List<DriftReference.TableColumn> schema) {
    Map<String, String> types = new LinkedHashMap<>();
    schema.forEach(c -> types.put(c.column(), c.type()));
    return types;
  }

  private static Map<String, DriftReference.Column> byName(List<DriftReference.Column> columns) {
    Map<String, DriftReference.Column> byName = new LinkedHashMap<>();
    columns.forEach(c -> byName.put(c.column(), c));
    return byName;
  }

  private static String kindOf(Map<String, DriftReference.Column> columns, String name) {
    DriftReference.Column column = columns.get(name);
    return column == null ? "not a feature" : column.kind();
  }
}
