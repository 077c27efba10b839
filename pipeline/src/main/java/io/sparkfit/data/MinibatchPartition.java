package io.sparkfit.data;

import io.sparkfit.features.FeatureEncoder;
import io.sparkfit.features.ProjectedRows;
import io.sparkfit.inputs.InputLayout;
import io.sparkfit.inputs.LabelIndex;
import io.sparkfit.DataValidationException;
import io.sparkfit.inputs.MetricColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns one partition of projected rows into DL4J minibatches of up to {@code batchSize} examples,
 * lazily, so a partition streams through rather than piling up in memory. Features are encoded,
 * scaled and laid out as the network's inputs here; labels become one-hot rows (classes) or a scaled
 * one-column target. With a weight column, each row's weight is the minibatch's labels mask ([rows, 1]).
 * With slice columns, each example's slice indices ({@code int[]}, one per column) are the minibatch's
 * example metadata, which {@link io.sparkfit.metrics.Slicing} reads in the same task.
 */
final class MinibatchPartition implements FlatMapFunction<Iterator<Row>, MultiDataSet> {
  private static final long serialVersionUID = 1L;

  private final ProjectedRows layout;
  private final FeatureEncoder encoder;
  private final InputLayout inputs;
  private final LabelIndex labels;
  private final int batchSize;
  private final boolean dropInvalid;
  /** The slice columns of {@code layout} with their kept values, in its order; empty to attach no slice indices. */
  private final List<MetricColumns.SliceColumn> slices;

  MinibatchPartition(
      ProjectedRows layout, FeatureEncoder encoder, InputLayout inputs, LabelIndex labels, int batchSize, boolean dropInvalid) {
    this(layout, encoder, inputs, labels, batchSize, dropInvalid, List.of());
  }

  /**
   * As the other constructor, with each example's index in each of {@code slices} attached.
   *
   * @throws IllegalArgumentException when {@code slices} are not the layout's slice columns
   */
  MinibatchPartition(
      ProjectedRows layout,
      FeatureEncoder encoder,
      InputLayout inputs,
      LabelIndex labels,
      int batchSize,
      boolean dropInvalid,
      List<MetricColumns.SliceColumn> slices) {
    if (!slices.isEmpty() && !slices.stream().map(MetricColumns.SliceColumn::column).toList().equals(layout.sliceColumns())) {
      throw new IllegalArgumentException("Slices " + slices + " are not the projected slice columns " + layout.sliceColumns());
    }
    this.slices = List.copyOf(slices);
    this.layout = layout;
    this.encoder = encoder;
    this.inputs = inputs;
    this.labels = labels;
    this.batchSize = batchSize;
    this.dropInvalid = dropInvalid;
  }

  @Override
  public Iterator<MultiDataSet> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private final int outputs = labels.outputs();
      private final BatchEncoder batch = new BatchEncoder(encoder, inputs, batchSize);
      private final List<MetricColumns.Indexer> indexers = slices.stream().map(MetricColumns.SliceColumn::indexer).toList();
      private MultiDataSet next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          next = fill();
        }
        return next != null;
      }

      @Override
      public MultiDataSet next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        MultiDataSet result = next;
        next = null;
        return result;
      }

      private MultiDataSet fill() {
        float[] y = new float[batchSize * outputs];
        float[] weights = layout.weighted() ? new float[batchSize] : null;
        List<int[]> sliceOfRow = indexers.isEmpty() ? null : new ArrayList<>(batchSize);
        int n = 0;
        while (n < batchSize && rows.hasNext()) {
          Row row = rows.next();
          Object label = layout.label(row);
          double weight = layout.weight(row);
          // The weight is checked before the features are added: a row that fails after add() would stay in the batch.
          if (label == null || Double.isNaN(weight) || !batch.add(row, ProjectedRows.FIRST_FEATURE)) {
            if (dropInvalid) {
              continue;
            }
            String badWeight = layout.invalidWeight(row);
            throw new DataValidationException(
                badWeight != null
                    ? String.format("%s in row %s (set data.drop-invalid=true to drop such rows)", badWeight, layout.describe(row))
                    : String.format(
                        "a feature or the label column '%s' has a missing (not imputed) or non-finite value in row %s "
                            + "(set data.drop-invalid=true to drop such rows)",
                        layout.labelColumn(), layout.describe(row)));
          }
          if (weights != null) {
            weights[n] = (float) weight;
          }
          if (sliceOfRow != null) {
            int[] index = new int[indexers.size()];
            for (int c = 0; c < index.length; c++) {
              index[c] = indexers.get(c).indexOf(layout.sliceValue(row, c));
            }
            sliceOfRow.add(index);
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
          y = Arrays.copyOf(y, n * outputs);
        }
        BatchEncoder.Inputs x = batch.take();
        // The weights travel as the labels mask: DL4J's losses multiply each example's loss by it, and a
        // weighted Evaluator reads it as the example's weight. Without a weight column there is no mask.
        INDArray[] labelsMask =
            weights == null ? null : new INDArray[] {Nd4j.create(n < batchSize ? Arrays.copyOf(weights, n) : weights, new long[] {n, 1}, 'c')};
        MultiDataSet minibatch =
            new org.nd4j.linalg.dataset.MultiDataSet(
                x.features(), new INDArray[] {Nd4j.create(y, new long[] {n, outputs}, 'c')}, x.masks(), labelsMask);
        if (sliceOfRow != null) {
          minibatch.setExampleMetaData(sliceOfRow);
        }
        return minibatch;
      }
    };
  }
}
