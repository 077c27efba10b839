package io.sparkfit.features;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * The median of a column's values in one pass, within {@link #RELATIVE_ACCURACY} of the true one: a
 * DDSketch, whose buckets are fixed by the value alone and whose merge adds bucket counts, so the
 * result is the same however the rows were partitioned and in whatever order partitions merge.
 */
final class MedianSketch implements Serializable {
  private static final long serialVersionUID = 1L;
  static final double RELATIVE_ACCURACY = 0.005;

  private transient DDSketch sketch = DDSketches.unboundedDense(RELATIVE_ACCURACY);

  void add(double value) {
    sketch.accept(value);
  }

  MedianSketch merge(MedianSketch other) {
    sketch.mergeWith(other.sketch);
    return this;
  }

  MedianSketch copy() {
    MedianSketch copy = new MedianSketch();
    copy.sketch = sketch.copy();
    return copy;
  }

  /** The median, or NaN when no value was added. */
  double median() {
    return sketch.isEmpty() ? Double.NaN : sketch.getValueAtQuantile(0.5);
  }

  long count() {
    return Math.round(sketch.getCount());
  }

  // DDSketch is not Serializable: it travels between executors and the driver in its own encoding.
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    GrowingByteArrayOutput encoded = GrowingByteArrayOutput.withDefaultInitialCapacity();
    sketch.encode(encoded, false);
    byte[] array = encoded.trimmedCopy();
    out.writeInt(array.length);
    out.write(array);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    byte[] array = new byte[in.readInt()];
    in.readFully(array);
    sketch = DDSketch.decode(ByteArrayInput.wrap(array, 0, array.length), UnboundedSizeDenseStore::new);
  }
}
