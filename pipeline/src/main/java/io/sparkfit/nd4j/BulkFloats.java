package io.sparkfit.nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float values copied in and out of ND4J's off-heap memory in one bulk copy. ND4J's own conversions
 * ({@code toFloatVector}, {@code createFromArray}, its Java serialization) go value by value: profiled,
 * they were most of the averaging engine's time outside fitting.
 */
public final class BulkFloats {
  private BulkFloats() {}

  /** {@code array} itself if its values are floats laid out in order from its buffer's start, else such a copy. */
  public static INDArray contiguous(INDArray array) {
    return array.dataType() == DataType.FLOAT && array.ordering() == 'c' && !array.isView()
        ? array
        : array.castTo(DataType.FLOAT).dup('c');
  }

  /** The bytes of a {@link #contiguous} array's values, in the machine's order, as a view of its memory. */
  public static ByteBuffer bytes(INDArray contiguous) {
    ByteBuffer bytes = contiguous.data().asNio().order(ByteOrder.nativeOrder());
    bytes.limit(Math.toIntExact(contiguous.length() * Float.BYTES));
    return bytes;
  }

  /** The values of {@code array} as floats. */
  public static float[] of(INDArray array) {
    INDArray values = contiguous(array);
    float[] out = new float[Math.toIntExact(values.length())];
    bytes(values).asFloatBuffer().get(out);
    return out;
  }

  /** A vector holding {@code values}. */
  public static INDArray vector(float[] values) {
    INDArray array = Nd4j.createUninitialized(DataType.FLOAT, values.length);
    bytes(array).asFloatBuffer().put(values);
    return array;
  }
}
