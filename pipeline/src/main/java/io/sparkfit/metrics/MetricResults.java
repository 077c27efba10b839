package io.sparkfit.metrics;

import io.sparkfit.config.Metric;
import io.sparkfit.metrics.ConfusionMatrixState.Average;
import java.util.ArrayList;
import java.util.Arrays;
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
    if (set.states().get(Evaluator.LOSS) instanceof LossState loss) {
      out.put(Metric.LOSS, loss.mean());
    } else if (set.states().get(Evaluator.LOSS) instanceof WeightedLossState loss) {
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
    if (s.get(Evaluator.CONFUSION) instanceof ConfusionMatrixState cm && name.fromConfusionMatrix()) {
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
    if (s.get(Evaluator.CONFUSION) instanceof WeightedConfusionMatrixState cm && name.fromConfusionMatrix()) {
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
    if (s.get(Evaluator.AUC) instanceof AucState auc && (name == Metric.AUC || name == Metric.AUC_PR)) {
      return name == Metric.AUC ? auc.rocAuc() : auc.prAuc();
    }
    if (s.get(Evaluator.AUC) instanceof WeightedAucState auc && (name == Metric.AUC || name == Metric.AUC_PR)) {
      return name == Metric.AUC ? auc.rocAuc() : auc.prAuc();
    }
    if (s.get(Evaluator.REGRESSION) instanceof WeightedRegressionState r) {
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
    if (s.get(Evaluator.REGRESSION) instanceof RegressionState r) {
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
      case ACCURACY -> accuracy(s.get(Evaluator.ACCURACY));
      case TOP_K_ACCURACY -> accuracy(s.get(Evaluator.TOP_K));
      case LOG_LOSS -> classLabels.isEmpty() ? null : s.get(Evaluator.LOSS) instanceof LossState l ? Double.valueOf(l.mean())
          : s.get(Evaluator.LOSS) instanceof WeightedLossState w ? Double.valueOf(w.mean()) : null;
      default -> null;
    };
  }

  private static Double accuracy(MetricState state) {
    if (state instanceof AccuracyState a) {
      return a.accuracy();
    }
    return state instanceof WeightedAccuracyState w ? w.accuracy() : null;
  }

  /**
   * The values of a block: the scalars, the count, and where asked for per-class values and the
   * confusion matrix.
   */
  public MetricValues values(MetricSet set) {
    List<MetricValues.ClassValues> perClass = new ArrayList<>();
    Optional<MetricValues.ConfusionMatrix> matrix = Optional.empty();
    boolean perClassAsked = names.stream().anyMatch(Metric::fromConfusionMatrix);
    boolean perClassAuc = names.contains(Metric.AUC) && classLabels.size() > 2;
    MetricState aucState = set.states().get(Evaluator.AUC);
    if (set.states().get(Evaluator.CONFUSION) instanceof ConfusionMatrixState cm) {
      if (perClassAsked) {
        AucState auc = aucState instanceof AucState a && perClassAuc ? a : null;
        for (int c = 0; c < cm.classes(); c++) {
          perClass.add(
              MetricValues.ClassValues.counted(
                  String.valueOf(classLabels.get(c)),
                  cm.precision(c),
                  cm.recall(c),
                  cm.f1(c),
                  auc != null ? OptionalDouble.of(auc.rocAuc(c)) : OptionalDouble.empty(),
                  cm.support(c)));
        }
      }
      if (names.contains(Metric.CONFUSION_MATRIX)) {
        List<List<Long>> rows = new ArrayList<>();
        for (long[] row : cm.counts()) {
          rows.add(Arrays.stream(row).boxed().toList());
        }
        matrix = Optional.of(MetricValues.ConfusionMatrix.counted(classLabels, rows));
      }
    }
    // Weighted metrics: per class the weighted values with both supports, and the matrix of weight sums.
    if (set.states().get(Evaluator.CONFUSION) instanceof WeightedConfusionMatrixState cm) {
      if (perClassAsked) {
        WeightedAucState auc = aucState instanceof WeightedAucState a && perClassAuc ? a : null;
        for (int c = 0; c < cm.classes(); c++) {
          perClass.add(
              new MetricValues.ClassValues(
                  String.valueOf(classLabels.get(c)),
                  cm.precision(c),
                  cm.recall(c),
                  cm.f1(c),
                  auc != null ? OptionalDouble.of(auc.rocAuc(c)) : OptionalDouble.empty(),
                  cm.rows(c),
                  OptionalDouble.of(cm.support(c))));
        }
      }
      if (names.contains(Metric.CONFUSION_MATRIX)) {
        List<List<Double>> rows = new ArrayList<>();
        for (double[] row : cm.weights()) {
          rows.add(Arrays.stream(row).boxed().toList());
        }
        matrix = Optional.of(MetricValues.ConfusionMatrix.weighted(classLabels, rows));
      }
    }
    return new MetricValues(scalars(set), set.count(), perClass, matrix);
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
