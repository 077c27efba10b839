package io.sparkfit.metrics;

import io.sparkfit.config.Metric;
import io.sparkfit.metrics.ClassTallies.Average;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns merged metric states into the values of the metrics users asked for ({@link MetricValues}).
 *
 * <p>For two classes, {@code precision}, {@code recall}, {@code f1} and {@code auc} are those of the
 * positive class (label index 1), as scikit-learn reports them; for more, the macro average.
 */
public final class MetricResults {
  private final List<Metric> names;
  private final List<Object> classLabels;

  /**
   * @param names the metrics asked for
   * @param classLabels the label index's values, in index order; empty for regression
   */
  public MetricResults(List<Metric> names, List<Object> classLabels) {
    this.names = List.copyOf(names);
    this.classLabels = Collections.unmodifiableList(new ArrayList<>(classLabels));
  }

  /** The scalar results: {@code loss} first, then the names asked for whose states are present. */
  public Map<Metric, Double> scalars(MetricSet set) {
    Map<Metric, Double> out = new LinkedHashMap<>();
    if (set.states().get(Evaluator.LOSS) instanceof MeanValue loss) {
      out.put(Metric.LOSS, loss.mean());
    }
    for (Metric name : names) {
      Double value = scalar(set, name);
      if (value != null) {
        out.put(name, value);
      }
    }
    return out;
  }

  private Double scalar(MetricSet set, Metric name) {
    Map<String, MetricState> s = set.states();
    boolean binary = classLabels.size() == 2;
    if (s.get(Evaluator.CONFUSION) instanceof ClassTallies cm && name.fromConfusionMatrix()) {
      return switch (name) {
        case PRECISION -> binary ? cm.precision(1) : cm.precision(Average.MACRO);
        case RECALL -> binary ? cm.recall(1) : cm.recall(Average.MACRO);
        case F1 -> binary ? cm.f1(1) : cm.f1(Average.MACRO);
        case PRECISION_MICRO -> cm.precision(Average.MICRO);
        case RECALL_MICRO -> cm.recall(Average.MICRO);
        case F1_MICRO -> cm.f1(Average.MICRO);
        case PRECISION_WEIGHTED -> cm.precision(Average.WEIGHTED);
        case RECALL_WEIGHTED -> cm.recall(Average.WEIGHTED);
        default -> cm.f1(Average.WEIGHTED);
      };
    }
    if (s.get(Evaluator.AUC) instanceof CurveAreas auc && (name == Metric.AUC || name == Metric.AUC_PR)) {
      return name == Metric.AUC ? auc.rocAuc() : auc.prAuc();
    }
    if (s.get(Evaluator.REGRESSION) instanceof RegressionErrors r) {
      switch (name) {
        case MSE:
          return r.mse();
        case RMSE:
          return r.rmse();
        case MAE:
          return r.mae();
        case R2:
          return r.r2();
        default:
          break;
      }
    }
    return switch (name) {
      case ACCURACY -> mean(s.get(Evaluator.ACCURACY));
      case TOP_K_ACCURACY -> mean(s.get(Evaluator.TOP_K));
      case LOG_LOSS -> classLabels.isEmpty() ? null : mean(s.get(Evaluator.LOSS));
      default -> null;
    };
  }

  private static Double mean(MetricState state) {
    return state instanceof MeanValue m ? m.mean() : null;
  }

  /**
   * The values of a block: the scalars, the count, and where asked for per-class values and the
   * confusion matrix (of counts, or for weighted metrics of summed weights, with each class's weight
   * beside its rows).
   */
  public MetricValues values(MetricSet set) {
    List<MetricValues.ClassValues> perClass = new ArrayList<>();
    Optional<MetricValues.ConfusionMatrix> matrix = Optional.empty();
    if (set.states().get(Evaluator.CONFUSION) instanceof ClassTallies cm) {
      boolean weighted = cm instanceof WeightedConfusionMatrixState;
      if (names.stream().anyMatch(Metric::fromConfusionMatrix)) {
        CurveAreas auc =
            set.states().get(Evaluator.AUC) instanceof CurveAreas a && classLabels.size() > 2 && names.contains(Metric.AUC) ? a : null;
        for (int c = 0; c < cm.classes(); c++) {
          perClass.add(
              new MetricValues.ClassValues(
                  String.valueOf(classLabels.get(c)),
                  cm.precision(c),
                  cm.recall(c),
                  cm.f1(c),
                  auc != null ? OptionalDouble.of(auc.rocAuc(c)) : OptionalDouble.empty(),
                  cm.rows(c),
                  weighted ? OptionalDouble.of(cm.actualTotal(c)) : OptionalDouble.empty()));
        }
      }
      if (names.contains(Metric.CONFUSION_MATRIX)) {
        matrix = Optional.of(
            weighted
                ? MetricValues.ConfusionMatrix.weighted(classLabels, cells(cm, Double::valueOf))
                : MetricValues.ConfusionMatrix.counted(classLabels, cells(cm, v -> (long) v)));
      }
    }
    return new MetricValues(scalars(set), set.count(), perClass, matrix);
  }

  /** The matrix's cells, {@code [actual][predicted]}, each as {@code cell} makes it: a count or a weight. */
  private static <T> List<List<T>> cells(ClassTallies cm, java.util.function.DoubleFunction<T> cell) {
    List<List<T>> rows = new ArrayList<>();
    for (int a = 0; a < cm.classes(); a++) {
      List<T> row = new ArrayList<>();
      for (int p = 0; p < cm.classes(); p++) {
        row.add(cell.apply(cm.cell(a, p)));
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * The values of each slice of {@code column} ({@code metrics.slices}), by slice name in index order,
   * from the {@link SliceStates} a {@link Slicing#byColumns} evaluation put under {@link Slicing#key}. A
   * slice none of whose rows was seen has a block of count 0 and no values.
   *
   * @throws IllegalArgumentException when {@code set} has no states for {@code column}, or other slices
   */
  public Map<String, MetricValues> slices(MetricSet set, String column, List<String> sliceNames) {
    MetricState state = set.states().get(Slicing.key(column));
    if (set.isEmpty()) {
      state = SliceStates.empty(sliceNames.size());
    }
    if (!(state instanceof SliceStates slices) || slices.slices() != sliceNames.size()) {
      throw new IllegalArgumentException("No states of the " + sliceNames.size() + " slices of column '" + column + "' in " + set.states().keySet());
    }
    Map<String, MetricValues> out = new LinkedHashMap<>();
    for (int i = 0; i < sliceNames.size(); i++) {
      out.put(sliceNames.get(i), values(slices.slice(i)));
    }
    return out;
  }
}
