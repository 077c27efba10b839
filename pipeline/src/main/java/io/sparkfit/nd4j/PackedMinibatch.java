package io.sparkfit.nd4j;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A minibatch as one block of bytes, the form in which minibatches are cached and stream from disk
 * every epoch. ND4J's own serialization writes and reads an array one value at a time through a data
 * stream (profiled: most of the engine's non-fitting time per epoch on the digits MLP); here every
 * array's values are one bulk copy between the block and ND4J's off-heap memory, in the machine's
 * byte order.
 *
 * <p>Layout: the number of features, labels, feature masks and label masks; then each array as a
 * presence byte, its rank, its shape and its float values. Every array is stored as float, as the
 * networks read them.
 */
public final class PackedMinibatch implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  private final byte[] bytes;
  private final int examples;

  private PackedMinibatch(byte[] bytes, int examples) {
    this.bytes = bytes;
    this.examples = examples;
  }

  /** The minibatch's arrays, copied into one block. */
  public static PackedMinibatch pack(MultiDataSet batch) {
    INDArray[][] groups = groups(batch);
    int size = 4 * Integer.BYTES;
    for (INDArray[] group : groups) {
      for (INDArray array : group) {
        size += 1;
        if (array != null) {
          size += Integer.BYTES + array.rank() * Long.BYTES + Math.multiplyExact(array.length(), (long) Float.BYTES);
        }
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ORDER);
    for (INDArray[] group : groups) {
      out.putInt(group.length);
    }
    for (INDArray[] group : groups) {
      for (INDArray array : group) {
        if (array == null) {
          out.put((byte) 0);
          continue;
        }
        out.put((byte) 1);
        out.putInt(array.rank());
        for (long dimension : array.shape()) {
          out.putLong(dimension);
        }
        out.put(BulkFloats.bytes(BulkFloats.contiguous(array)));
      }
    }
    int examples = (int) batch.getFeatures(0).size(0);
    return new PackedMinibatch(out.array(), examples);
  }

  /**
   * Packs a minibatch that nobody else holds (one just encoded from rows) and frees its arrays at
   * once: a pass that encodes a whole table would otherwise hold all of their off-heap memory until
   * the garbage collector happens to run.
   */
  public static PackedMinibatch packAndRelease(MultiDataSet batch) {
    PackedMinibatch packed = pack(batch);
    release(batch);
    return packed;
  }

  /**
   * The minibatches of {@code packed}, unpacked one at a time; each is released when the next is
   * asked for (or the stream ends), so a consumer must be done with one before taking the next.
   */
  public static Iterator<MultiDataSet> unpackEach(Iterator<PackedMinibatch> packed) {
    return new Iterator<>() {
      private MultiDataSet previous;

      @Override
      public boolean hasNext() {
        boolean more = packed.hasNext();
        if (!more) {
          releasePrevious();
        }
        return more;
      }

      @Override
      public MultiDataSet next() {
        releasePrevious();
        previous = packed.next().unpack();
        return previous;
      }

      private void releasePrevious() {
        if (previous != null) {
          release(previous);
          previous = null;
        }
      }
    };
  }

  /** Examples in the minibatch. */
  public int examples() {
    return examples;
  }

  /** Bytes the packed minibatch holds. */
  public int sizeInBytes() {
    return bytes.length;
  }

  /**
   * A new minibatch whose arrays own fresh off-heap memory: a caller that is done with it can
   * {@link #release} it at once rather than wait for the garbage collector.
   */
  public MultiDataSet unpack() {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ORDER);
    int[] counts = {in.getInt(), in.getInt(), in.getInt(), in.getInt()};
    INDArray[][] groups = new INDArray[4][];
    for (int g = 0; g < 4; g++) {
      groups[g] = new INDArray[counts[g]];
      for (int i = 0; i < counts[g]; i++) {
        groups[g][i] = readArray(in);
      }
    }
    return new org.nd4j.linalg.dataset.MultiDataSet(
        groups[0], groups[1], nullIfAbsent(groups[2]), nullIfAbsent(groups[3]));
  }

  /**
   * Frees the off-heap memory of a minibatch from {@link #unpack} now: a stream of minibatches would
   * otherwise hold their memory until the garbage collector happens to run, growing with the data.
   * The minibatch must not be used afterwards.
   */
  public static void release(MultiDataSet batch) {
    for (INDArray[] group : groups(batch)) {
      for (INDArray array : group) {
        if (array != null && array.closeable()) {
          array.close();
        }
      }
    }
  }

  private static INDArray readArray(ByteBuffer in) {
    if (in.get() == 0) {
      return null;
    }
    long[] shape = new long[in.getInt()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = in.getLong();
    }
    INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    ByteBuffer target = BulkFloats.bytes(array);
    int length = target.remaining();
    ByteBuffer values = in.slice();
    values.limit(length);
    target.put(values);
    in.position(in.position() + length);
    return array;
  }

  private static INDArray[][] groups(MultiDataSet batch) {
    return new INDArray[][] {
      batch.getFeatures(), batch.getLabels(), orEmpty(batch.getFeaturesMaskArrays()), orEmpty(batch.getLabelsMaskArrays())
    };
  }

  private static INDArray[] orEmpty(INDArray[] arrays) {
    return arrays == null ? new INDArray[0] : arrays;
  }

  private static INDArray[] nullIfAbsent(INDArray[] arrays) {
    return arrays.length == 0 || Arrays.stream(arrays).allMatch(a -> a == null) ? null : arrays;
  }
}
