package io.sparkfit.metrics;

import io.sparkfit.metrics.ConfusionMatrixState.Average;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders merged metric states as the metrics users asked for, by the names they wrote: a block of
 * {@code metrics.json}, and the values of the epoch log line.
 *
 * <p>For two classes, {@code precision}, {@code recall}, {@code f1} and {@code auc} are those of the
 * positive class (label index 1), as scikit-learn reports them; for more, the macro average.
 */
public final class MetricResults {
  private static final Set<String> CLASS_METRICS =
      Set.of("precision", "recall", "f1", "precision-micro", "recall-micro", "f1-micro", "precision-weighted",
          "recall-weighted", "f1-weighted");

  private final List<String> names;
  private final List<Object> classLabels;

  /**
   * @param names the metrics asked for
   * @param classLabels the label index's values, in index order; empty for regression
   */
  public MetricResults(List<String> names, List<Object> classLabels) {
    this.names = List.copyOf(names);
    this.classLabels = List.copyOf(classLabels);
  }

  static boolean needsConfusionMatrix(String name) {
    return CLASS_METRICS.contains(name) || name.equals("confusion-matrix");
  }

  /** The scalar results: {@code loss} first, then the names asked for whose states are present. */
  public Map<String, Double> scalars(MetricSet set) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (set.states().get(Evaluator.LOSS) instanceof LossState loss) {
      out.put("loss", loss.mean());
    }
    for (String name : names) {
      Double value = scalar(set, name);
      if (value != null) {
        out.put(name, value);
      }
    }
    return out;
  }

  private Double scalar(MetricSet set, String name) {
    Map<String, MetricState> s = set.states();
    boolean binary = classLabels.size() == 2;
    if (s.get(Evaluator.CONFUSION) instanceof ConfusionMatrixState cm && CLASS_METRICS.contains(name)) {
      return switch (name) {
        case "precision" -> binary ? cm.precision(1) : cm.precision(Average.MACRO);
        case "recall" -> binary ? cm.recall(1) : cm.recall(Average.MACRO);
        case "f1" -> binary ? cm.f1(1) : cm.f1(Average.MACRO);
        case "precision-micro" -> cm.precision(Average.MICRO);
        case "recall-micro" -> cm.recall(Average.MICRO);
        case "f1-micro" -> cm.f1(Average.MICRO);
        case "precision-weighted" -> cm.precision(Average.WEIGHTED);
        case "recall-weighted" -> cm.recall(Average.WEIGHTED);
        default -> cm.f1(Average.WEIGHTED);
      };
    }
    if (s.get(Evaluator.AUC) instanceof AucState auc && (name.equals("auc") || name.equals("auc-pr"))) {
      return name.equals("auc") ? auc.rocAuc() : auc.prAuc();
    }
    if (s.get(Evaluator.REGRESSION) instanceof RegressionState r) {
      switch (name) {
        case "mse":
          return r.mse();
        case "rmse":
          return r.rmse();
        case "mae":
          return r.mae();
        case "r2":
          return r.r2();
        default:
          break;
      }
    }
    return switch (name) {
      case "accuracy" -> s.get(Evaluator.ACCURACY) instanceof AccuracyState a ? a.accuracy() : null;
      case "top-k-accuracy" -> s.get(Evaluator.TOP_K) instanceof AccuracyState a ? a.accuracy() : null;
      case "log-loss" -> s.get(Evaluator.LOSS) instanceof LossState l && !classLabels.isEmpty() ? l.mean() : null;
      default -> null;
    };
  }

  /**
   * A {@code metrics.json} block: the scalars, {@code count}, and where asked for {@code per-class}
   * values and the {@code confusion-matrix}. NaN (a metric over no examples) is written as null.
   */
  public Map<String, Object> block(MetricSet set) {
    Map<String, Object> out = new LinkedHashMap<>();
    scalars(set).forEach((k, v) -> out.put(k, finite(v)));
    out.put("count", set.count());
    if (set.states().get(Evaluator.CONFUSION) instanceof ConfusionMatrixState cm) {
      if (names.stream().anyMatch(CLASS_METRICS::contains)) {
        AucState auc = set.states().get(Evaluator.AUC) instanceof AucState a && classLabels.size() > 2 ? a : null;
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < cm.classes(); c++) {
          Map<String, Object> values = new LinkedHashMap<>();
          values.put("precision", finite(cm.precision(c)));
          values.put("recall", finite(cm.recall(c)));
          values.put("f1", finite(cm.f1(c)));
          if (auc != null && names.contains("auc")) {
            values.put("auc", finite(auc.rocAuc(c)));
          }
          values.put("support", cm.support(c));
          perClass.put(String.valueOf(classLabels.get(c)), values);
        }
        out.put("per-class", perClass);
      }
      if (names.contains("confusion-matrix")) {
        Map<String, Object> matrix = new LinkedHashMap<>();
        matrix.put("labels", classLabels);
        List<List<Long>> rows = new ArrayList<>();
        for (long[] row : cm.counts()) {
          rows.add(java.util.Arrays.stream(row).boxed().toList());
        }
        matrix.put("rows", "actual");
        matrix.put("columns", "predicted");
        matrix.put("counts", rows);
        out.put("confusion-matrix", matrix);
      }
    }
    return out;
  }

  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
