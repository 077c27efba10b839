package io.sparkfit.train;

import io.sparkfit.nd4j.PackedMinibatch;
import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * One element of what an epoch's task streams: its partition's training minibatches, then (when the
 * stage also validates) its share of the validation minibatches, packed as they are cached.
 */
record StageInput(PackedMinibatch minibatch, boolean validation) implements Serializable {

  /** A task's input, read as its two parts in order: training first, then validation. */
  static Split split(Iterator<StageInput> input) {
    return new Split(input);
  }

  /** The training minibatches, then the validation ones, from one iterator. */
  static final class Split {
    private final Iterator<StageInput> input;
    private StageInput next;

    private Split(Iterator<StageInput> input) {
      this.input = input;
      this.next = input.hasNext() ? input.next() : null;
    }

    boolean hasTraining() {
      return next != null && !next.validation();
    }

    PackedMinibatch nextTraining() {
      if (!hasTraining()) {
        throw new NoSuchElementException("no training minibatch left");
      }
      PackedMinibatch batch = next.minibatch();
      next = input.hasNext() ? input.next() : null;
      return batch;
    }

    /** The validation minibatches after the training ones, unpacked one at a time, each freed when the next is taken. */
    Iterator<MultiDataSet> validation() {
      Iterator<PackedMinibatch> packed =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return next != null;
            }

            @Override
            public PackedMinibatch next() {
              if (next == null || !next.validation()) {
                throw new NoSuchElementException(next == null ? "no validation minibatch left" : "a training minibatch after validation");
              }
              PackedMinibatch batch = next.minibatch();
              Split.this.next = input.hasNext() ? input.next() : null;
              return batch;
            }
          };
      return PackedMinibatch.unpackEach(packed);
    }
  }
}
