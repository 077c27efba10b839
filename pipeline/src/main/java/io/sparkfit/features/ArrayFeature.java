package io.sparkfit.features;

import io.sparkfit.InvalidInputException;
import io.sparkfit.config.FeatureColumn;
import io.sparkfit.config.ArrayScaling;
import io.sparkfit.config.Normalization;
import io.sparkfit.inputs.ColumnSummary;
import io.sparkfit.inputs.InputColumn;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * An {@code array<float|double>} or Spark ML vector column, read as {@code array<double>}: one input
 * per element, each scaled on its own. A null array, or one holding a null or non-finite value, is
 * invalid; so is, once fitted, an array of another length than in training. In training every row
 * must have one length: rows of several lengths fail the column ({@link #checkConsistent}).
 */
final class ArrayFeature extends Feature {
  private static final long serialVersionUID = 1L;

  private final FeatureColumn config;
  private final InputColumn.Array input;
  private final boolean vector;
  private transient double[] values;
  private transient int length;

  ArrayFeature(FeatureColumn config, String sqlType, boolean vector) {
    super(config.column(), sqlType);
    this.config = config;
    this.input = null;
    this.vector = vector;
  }

  ArrayFeature(String sqlType, boolean vector, InputColumn.Array input) {
    super(input.column(), sqlType);
    this.config = null;
    this.input = input;
    this.vector = vector;
  }

  @Override
  public String kind() {
    return "array";
  }

  @Override
  public Column projection() {
    Column column = Features.column(name());
    return vector ? org.apache.spark.ml.functions.vector_to_array(column, "float64") : column.cast("array<double>");
  }

  @Override
  public boolean feeds(InputColumn input) {
    return input instanceof InputColumn.Array;
  }

  @Override
  public String invalid(Row row, int index) {
    return read(row, index, null, 0);
  }

  /** Encoding reads the values straight into the inputs, by the same rule as {@link #invalid}. */
  @Override
  int encode(Row row, int index, double[] raw, int at) {
    fittedInput(input, name());
    return read(row, index, raw, at) == null ? at + length : -1;
  }

  /**
   * Why the array at {@code index} is invalid, or null; its values go to {@code into} from {@code at}
   * (null: to this feature's own buffer, for {@link #add}).
   */
  private String read(Row row, int index, double[] into, int at) {
    if (row.isNullAt(index)) {
      return "feature column '" + name() + "' is null";
    }
    List<Object> list = row.getList(index);
    length = list.size();
    if (input != null && length != input.length()) {
      return "feature column '" + name() + "' has " + length + " values, but the model takes " + input.length();
    }
    if (into == null) {
      if (values == null || values.length < length) {
        values = new double[length];
      }
      into = values;
      at = 0;
    }
    if (!ProjectedRows.finiteValues(list, into, at)) {
      return "feature column '" + name() + "' has a null or non-finite value";
    }
    return null;
  }

  @Override
  public Column valid(Column value) {
    // The length first: a cheap test that spares a wrong-length row the per-element lambda, which Spark interprets.
    Column present = input == null ? value.isNotNull() : value.isNotNull().and(functions.size(value).equalTo(input.length()));
    return present.and(functions.not(functions.exists(value, ArrayFeature::notFinite)));
  }

  /**
   * True for a null, NaN or infinite element, never null itself (a null element is true by the first
   * test, and abs of a present one is present), so {@code exists} is never null.
   */
  static Column notFinite(Column v) {
    return v.isNull().or(functions.isnan(v)).or(functions.abs(v).equalTo(Double.POSITIVE_INFINITY));
  }

  @Override
  public ColumnStatistics newStatistics() {
    return new ColumnStatistics.Array();
  }

  @Override
  public void add(ColumnStatistics statistics, Supplier<String> row) {
    ((ColumnStatistics.Array) statistics).add(values, length, row);
  }

  @Override
  public void checkConsistent(ColumnStatistics statistics, String source) {
    checkOneLength(name(), (ColumnStatistics.Array) statistics, source, "arrays of different lengths", "");
  }

  /**
   * Fails naming the column, the shortest and longest length and a row of each when the rows had
   * more than one length ({@code what}: "arrays of different lengths"; {@code unit} follows each number).
   */
  static void checkOneLength(String name, ColumnStatistics.Array array, String source, String what, String unit) {
    if (array.lengths.size() > 1) {
      Map.Entry<Integer, String> first = array.lengths.firstEntry();
      Map.Entry<Integer, String> last = array.lengths.lastEntry();
      throw InvalidInputException.of(
          "feature column '%s' in %s has %s: %d%s in row %s and %d%s in row %s",
          name, source, what, first.getKey(), unit, first.getValue(), last.getKey(), unit, last.getValue());
    }
  }

  @Override
  public int observedWidth(ColumnStatistics statistics) {
    return ((ColumnStatistics.Array) statistics).lengths.firstKey();
  }

  @Override
  public FittedColumn fit(ColumnStatistics statistics, Normalization normalization, String source) {
    FeatureColumn config = configOf(this.config, name());
    ColumnStatistics.Array array = (ColumnStatistics.Array) statistics;
    int length = array.sum.length;
    List<Integer> shape = config.shape();
    InvalidInputException.check(
        shape.isEmpty() || config.shapeSize() == length,
        "Invalid shape of data.features '%s': %s makes %d values, but column '%s' in %s holds arrays of %d",
        name(), shape, config.shapeSize(), name(), source, length);
    double[][] s = scaling(array, normalization, config.arrayScaling(), vector, !shape.isEmpty());
    return new FittedColumn(new InputColumn.Array(name(), length, shape), s[0], s[1], ColumnSummary.array(name(), sqlType(), length));
  }

  /**
   * {shifts, scales} as {@code scaling} says; {@code auto} is, by kind (measured on real digits,
   * docs/benchmarks.md, "Array columns"): a declared image ({@code shape}) one min-max range for all
   * its pixels (0-255 becomes 0-1, and 0-1 stays so: a CNN reached its accuracy in half the epochs
   * on raw 0-1 pixels as on standardised ones), a Spark ML vector each element by its own statistics
   * (a {@code VectorAssembler}'s row of different columns), any other array one shift and scale as
   * {@code data.normalize} says (an MLP on standardised pixels beat raw ones).
   */
  static double[][] scaling(
      ColumnStatistics.Array array, Normalization normalization, ArrayScaling scaling, boolean vector, boolean image) {
    if (scaling == ArrayScaling.PER_ELEMENT || scaling == ArrayScaling.AUTO && vector) {
      return elementScaling(array, normalization);
    }
    boolean imageRange = scaling == ArrayScaling.AUTO && image && normalization != Normalization.NONE;
    return columnScaling(array, imageRange ? Normalization.MIN_MAX : normalization);
  }

  /**
   * {shifts, scales}: one shift and one scale for every element of the column, from all its values
   * pooled. An array is one quantity in many places (an image's pixels, an embedding's dimensions);
   * scaled element by element, an element that is nearly always 0 (a corner pixel) gets a tiny
   * deviation and turns its rare non-zero values into inputs in the hundreds. On digits, per-element
   * standardisation took longer to reach the same accuracy than raw pixels; pooled it did not
   * (docs/features.md, "Arrays").
   */
  static double[][] columnScaling(ColumnStatistics.Array array, Normalization normalization) {
    int length = array.sum.length;
    double sum = 0;
    double sumSquares = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < length; j++) {
      sum += array.sum[j].value();
      sumSquares += array.sumSquares[j].value();
      min = Math.min(min, array.min[j]);
      max = Math.max(max, array.max[j]);
    }
    double[] s = scaling(normalization, array.count * (long) length, sum, sumSquares, min, max);
    double[] shift = new double[length];
    double[] scale = new double[length];
    java.util.Arrays.fill(shift, s[0]);
    java.util.Arrays.fill(scale, s[1]);
    return new double[][] {shift, scale};
  }

  /** {shifts, scales} of each element over the rows of the statistics: a sequence's features, each over its time steps. */
  static double[][] elementScaling(ColumnStatistics.Array array, Normalization normalization) {
    int length = array.sum.length;
    double[] shift = new double[length];
    double[] scale = new double[length];
    for (int j = 0; j < length; j++) {
      double[] s = scaling(normalization, array.count, array.sum[j].value(), array.sumSquares[j].value(), array.min[j], array.max[j]);
      shift[j] = s[0];
      scale[j] = s[1];
    }
    return new double[][] {shift, scale};
  }

  @Override
  public Feature fitted(InputColumn input) {
    return new ArrayFeature(sqlType(), vector, (InputColumn.Array) input);
  }
}
