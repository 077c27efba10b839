package io.sparkfit.data;

import io.sparkfit.features.FeatureEncoder;
import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.InputLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Encodes rows, one at a time, into a minibatch of the network's inputs as an {@link InputLayout}
 * lays them out: columns side by side as [rows, width], a categorical column's vocabulary index as
 * [rows, 1] for an embedding, a sequence as [rows, features, time steps] padded at the end to the
 * minibatch's longest row, with a [rows, time steps] mask of the real steps. The one place training,
 * validation, evaluate, predict and the Spark ML model turn rows into network inputs.
 *
 * <p>Not thread-safe: one per task.
 */
public final class BatchEncoder {
  private final FeatureEncoder encoder;
  private final List<InputLayout.NetworkInput> inputs;
  private final int capacity;
  /** Per input: the [offset, width] runs of the encoded row that it takes. */
  private final int[][][] runs;
  private final int[] widths;
  /** Per input: the feature column it embeds, or -1. */
  private final int[] embedded;
  private final float[] encoded;
  private final float[][] values;
  private final List<float[][]> sequences = new ArrayList<>();
  private final boolean sequential;
  private int size;

  /** @param capacity the most rows of one minibatch */
  public BatchEncoder(FeatureEncoder encoder, InputLayout layout, int capacity) {
    this.encoder = encoder;
    this.inputs = layout.inputs();
    this.capacity = capacity;
    FeatureSpec spec = encoder.spec();
    int n = inputs.size();
    runs = new int[n][][];
    widths = new int[n];
    embedded = new int[n];
    values = new float[n][];
    boolean anySequence = false;
    for (int i = 0; i < n; i++) {
      InputLayout.NetworkInput input = inputs.get(i);
      embedded[i] = -1;
      if (input instanceof InputLayout.Columns columns) {
        runs[i] = new int[columns.columns().size()][];
        for (int k = 0; k < runs[i].length; k++) {
          int column = spec.columnNames().indexOf(columns.columns().get(k));
          runs[i][k] = new int[] {encoder.offset(column), spec.columns().get(column).width()};
        }
        widths[i] = spec.width(columns.columns());
      } else if (input instanceof InputLayout.Embedding embedding) {
        embedded[i] = spec.columnNames().indexOf(embedding.column());
        widths[i] = 1;
      } else {
        anySequence = true;
        widths[i] = spec.width();
      }
      values[i] = new float[capacity * widths[i]];
    }
    sequential = anySequence;
    encoded = new float[spec.width()];
  }

  /** Encodes {@code row}'s features, which start at position {@code first}; false (nothing added) when they are invalid. */
  public boolean add(Row row, int first) {
    if (size == capacity) {
      throw new IllegalStateException("The minibatch is full: " + capacity + " rows");
    }
    if (sequential) {
      float[][] steps = encoder.encodeSequence(row, first);
      if (steps == null) {
        return false;
      }
      sequences.add(steps);
      size++;
      return true;
    }
    if (!encoder.encode(row, first, encoded, 0)) {
      return false;
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (embedded[i] >= 0) {
        values[i][size] = encoder.slot(embedded[i]);
        continue;
      }
      int at = size * widths[i];
      for (int[] run : runs[i]) {
        System.arraycopy(encoded, run[0], values[i], at, run[1]);
        at += run[1];
      }
    }
    size++;
    return true;
  }

  public int size() {
    return size;
  }

  /** The rows added since the last call, as the network's inputs; starts a new minibatch. */
  public Inputs take() {
    int n = size;
    INDArray[] features = new INDArray[inputs.size()];
    INDArray[] masks = new INDArray[inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      if (sequential) {
        INDArray[] sequence = sequenceArrays(n, widths[i]);
        features[i] = sequence[0];
        masks[i] = sequence[1];
      } else {
        float[] data = n == capacity ? values[i].clone() : java.util.Arrays.copyOf(values[i], n * widths[i]);
        features[i] = Nd4j.create(data, new long[] {n, widths[i]}, 'c');
      }
    }
    sequences.clear();
    size = 0;
    return new Inputs(features, sequential ? masks : null);
  }

  /** [n, features, longest] values and [n, longest] mask, padded with zeros after each row's last step. */
  private INDArray[] sequenceArrays(int n, int features) {
    int longest = 0;
    for (float[][] steps : sequences) {
      longest = Math.max(longest, steps.length);
    }
    float[] x = new float[n * features * longest];
    float[] mask = new float[n * longest];
    for (int r = 0; r < n; r++) {
      float[][] steps = sequences.get(r);
      for (int t = 0; t < steps.length; t++) {
        mask[r * longest + t] = 1f;
        for (int f = 0; f < features; f++) {
          x[(r * features + f) * longest + t] = steps[t][f];
        }
      }
    }
    return new INDArray[] {
      Nd4j.create(x, new long[] {n, features, longest}, 'c'), Nd4j.create(mask, new long[] {n, longest}, 'c')
    };
  }

  /**
   * A minibatch of network inputs, in the layout's order.
   *
   * @param masks per input, its [rows, time steps] mask or null; null when no input is a sequence
   */
  public record Inputs(INDArray[] features, INDArray[] masks) {}
}
