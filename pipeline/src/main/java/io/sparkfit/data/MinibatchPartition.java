package io.sparkfit.data;

import io.sparkfit.DataValidationException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns one partition of projected rows into DL4J minibatches of up to {@code batchSize} examples,
 * lazily, so a partition streams through rather than piling up in memory. Features are encoded and
 * scaled here; labels become one-hot rows (classes) or a scaled one-column target.
 */
final class MinibatchPartition implements FlatMapFunction<Iterator<Row>, DataSet> {
  private static final long serialVersionUID = 1L;

  private final ProjectedRows layout;
  private final FeatureEncoder encoder;
  private final LabelIndex labels;
  private final int batchSize;
  private final boolean dropInvalid;

  MinibatchPartition(
      ProjectedRows layout, FeatureEncoder encoder, LabelIndex labels, int batchSize, boolean dropInvalid) {
    this.layout = layout;
    this.encoder = encoder;
    this.labels = labels;
    this.batchSize = batchSize;
    this.dropInvalid = dropInvalid;
  }

  @Override
  public Iterator<DataSet> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private final int width = encoder.width();
      private final int outputs = labels.outputs();
      private DataSet next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          next = fill();
        }
        return next != null;
      }

      @Override
      public DataSet next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        DataSet result = next;
        next = null;
        return result;
      }

      private DataSet fill() {
        float[] x = new float[batchSize * width];
        float[] y = new float[batchSize * outputs];
        int n = 0;
        while (n < batchSize && rows.hasNext()) {
          Row row = rows.next();
          Object label = layout.label(row);
          if (label == null || !encoder.encode(row, ProjectedRows.FIRST_FEATURE, x, n * width)) {
            if (dropInvalid) {
              continue;
            }
            throw new DataValidationException(
                String.format(
                    "a feature or the label column '%s' has a missing (not imputed) or non-finite value in row %s "
                        + "(set data.drop-invalid=true to drop such rows)",
                    layout.labelColumn(), layout.describe(row)));
          }
          if (labels.kind().isClass()) {
            y[n * outputs + labels.indexOf(label, layout.labelColumn())] = 1f;
          } else {
            y[n] = (float) encoder.normalizer().scaleTarget((Double) label);
          }
          n++;
        }
        if (n == 0) {
          return null;
        }
        if (n < batchSize) {
          x = Arrays.copyOf(x, n * width);
          y = Arrays.copyOf(y, n * outputs);
        }
        return new DataSet(Nd4j.create(x, new long[] {n, width}, 'c'), Nd4j.create(y, new long[] {n, outputs}, 'c'));
      }
    };
  }
}
