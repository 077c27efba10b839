package io.sparkfit.features;

import io.sparkfit.inputs.FeatureSpec;
import io.sparkfit.inputs.Normalizer;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Turns a projected row's feature values (from position {@code first} on) into the network's inputs:
 * each column as its kind encodes it ({@link Feature#encode}), then every input scaled. The one place
 * training, evaluate, predict and the Spark ML model encode features; a row is valid by the same rule
 * ({@link Feature#invalid}) that profiling and the scoring filter ({@link Feature#valid}) apply.
 *
 * <p>Not thread-safe: one per task.
 */
public final class FeatureEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FeatureSpec spec;
  private final Normalizer normalizer;
  private transient Feature[] features;
  private transient double[] raw;

  public FeatureEncoder(FeatureSpec spec, Normalizer normalizer) {
    if (spec.width() != normalizer.width()) {
      throw new IllegalArgumentException(
          "The normalizer scales " + normalizer.width() + " inputs, but the features make " + spec.width());
    }
    this.spec = spec;
    this.normalizer = normalizer;
  }

  public int width() {
    return spec.width();
  }

  public FeatureSpec spec() {
    return spec;
  }

  /** The scaling of the inputs and of a regression target. */
  public Normalizer normalizer() {
    return normalizer;
  }

  /**
   * Writes the row's scaled inputs into {@code out} at {@code offset}; false (and nothing usable
   * written) when a value makes the row invalid: missing and not imputed, non-finite, an array not of
   * the trained length.
   */
  public boolean encode(Row row, int first, float[] out, int offset) {
    Feature[] features = features();
    int at = 0;
    for (int i = 0; i < features.length; i++) {
      at = features[i].encode(row, first + i, raw, at);
      if (at < 0) {
        return false;
      }
    }
    normalizer.apply(raw, out, offset);
    return true;
  }

  /**
   * The slot of categorical column {@code column} (its position among the feature columns) in the row
   * {@link #encode} read last: its index in the vocabulary, or the "other" or null slot.
   */
  public int slot(int column) {
    return ((CategoricalFeature) features()[column]).slot();
  }

  /** Where column {@code column}'s inputs start among all the row's inputs. */
  public int offset(int column) {
    int at = 0;
    for (int i = 0; i < column; i++) {
      at += spec.columns().get(i).width();
    }
    return at;
  }

  /**
   * The row's sequence column at {@code index} as scaled time steps of {@code width()} values each;
   * null when the row is invalid: the sequence is null or empty, or a step is null, of another width
   * than in training, or holds a null or non-finite value.
   */
  public float[][] encodeSequence(Row row, int index) {
    SequenceFeature sequence = (SequenceFeature) features()[0];
    if (sequence.invalid(row, index) != null) {
      return null;
    }
    List<double[]> steps = sequence.steps();
    float[][] out = new float[steps.size()][];
    for (int t = 0; t < out.length; t++) {
      out[t] = new float[spec.width()];
      normalizer.apply(steps.get(t), out[t], 0);
    }
    return out;
  }

  private Feature[] features() {
    if (features == null) {
      features = spec.columns().stream().map(Features::encoding).toArray(Feature[]::new);
      raw = new double[spec.width()];
    }
    return features;
  }
}
