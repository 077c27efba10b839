package io.sparkfit.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Minibatches cached as bytes come back exactly, whatever the arrays they were made of. */
class PackedMinibatchTest {

  private static MultiDataSet throughJavaSerialization(PackedMinibatch packed) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(packed);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return ((PackedMinibatch) in.readObject()).unpack();
    }
  }

  @Test
  void twoInputsWithSequenceMasksComeBackValueForValue() throws Exception {
    Nd4j.getRandom().setSeed(3);
    INDArray sequence = Nd4j.rand(new int[] {4, 2, 5}, 20261203L).castTo(DataType.FLOAT);
    INDArray table = Nd4j.rand(new int[] {4, 3}, 20261204L).castTo(DataType.FLOAT);
    INDArray labels = Nd4j.eye(4).castTo(DataType.FLOAT);
    INDArray mask = Nd4j.create(new float[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}, {1, 0, 0, 0, 0}, {1, 1, 0, 0, 0}});
    MultiDataSet batch =
        new org.nd4j.linalg.dataset.MultiDataSet(
            new INDArray[] {sequence, table}, new INDArray[] {labels}, new INDArray[] {mask, null}, null);

    PackedMinibatch packed = PackedMinibatch.pack(batch);
    MultiDataSet back = throughJavaSerialization(packed);

    assertThat(packed.examples()).isEqualTo(4);
    assertThat(back.getFeatures(0)).isEqualTo(sequence);
    assertThat(back.getFeatures(1)).isEqualTo(table);
    assertThat(back.getLabels(0)).isEqualTo(labels);
    assertThat(back.getFeaturesMaskArray(0)).isEqualTo(mask);
    assertThat(back.getFeaturesMaskArray(1)).isNull();
    assertThat(back.getLabelsMaskArrays()).isNull();
    assertThat(packed.sizeInBytes()).as("values plus a small header").isLessThan((int) (4 * (40 + 12 + 16 + 20)) + 200);
  }

  @Test
  void viewsAndDoublesArePackedAsTheirFloatValues() {
    INDArray whole = Nd4j.linspace(DataType.DOUBLE, 1, 24, 1).reshape(6, 4);
    INDArray rows = whole.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all());
    INDArray labels = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}});
    MultiDataSet back = PackedMinibatch.pack(new org.nd4j.linalg.dataset.MultiDataSet(rows, labels)).unpack();

    assertThat(rows.isView()).isTrue();
    assertThat(back.getFeatures(0).dataType()).isEqualTo(DataType.FLOAT);
    assertThat(back.getFeatures(0)).isEqualTo(rows.castTo(DataType.FLOAT));
    assertThat(back.getLabels(0)).isEqualTo(labels.castTo(DataType.FLOAT));
  }

  @Test
  void releasingAnUnpackedMinibatchFreesItsArraysAtOnce() {
    MultiDataSet batch =
        PackedMinibatch.pack(new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.ones(DataType.FLOAT, 2, 3), Nd4j.eye(2).castTo(DataType.FLOAT)))
            .unpack();
    PackedMinibatch.release(batch);
    assertThat(batch.getFeatures(0).wasClosed()).isTrue();
    assertThat(batch.getLabels(0).wasClosed()).isTrue();
  }

  @Test
  void packingAFreshMinibatchFreesItAndStreamingFreesEachOneWhenTheNextIsTaken() {
    MultiDataSet fresh = new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.ones(DataType.FLOAT, 2, 3), Nd4j.eye(2).castTo(DataType.FLOAT));
    PackedMinibatch packed = PackedMinibatch.packAndRelease(fresh);
    assertThat(fresh.getFeatures(0).wasClosed()).isTrue();

    java.util.Iterator<MultiDataSet> stream = PackedMinibatch.unpackEach(java.util.List.of(packed, packed).iterator());
    MultiDataSet first = stream.next();
    assertThat(first.getFeatures(0)).isEqualTo(Nd4j.ones(DataType.FLOAT, 2, 3));
    MultiDataSet second = stream.next();
    assertThat(first.getFeatures(0).wasClosed()).as("freed when the next was taken").isTrue();
    assertThat(second.getFeatures(0).wasClosed()).isFalse();
    assertThat(stream.hasNext()).isFalse();
    assertThat(second.getFeatures(0).wasClosed()).as("freed at the end of the stream").isTrue();
  }
}
