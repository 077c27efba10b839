package io.sparkfit.score;

import io.sparkfit.data.SchemaMapper;
import io.sparkfit.features.FeatureEncoder;
import io.sparkfit.inputs.LabelIndex;
import io.sparkfit.inputs.ModelInputs;
import io.sparkfit.inputs.Normalizer;
import io.sparkfit.executor.ExecutorNetworks;
import io.sparkfit.executor.TaskThreads;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.ShortType;
import io.sparkfit.model.Network;
import io.sparkfit.data.BatchEncoder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores one partition, a minibatch of rows at a time: the rows keep their columns, except the
 * features struct (the last column), and gain the prediction (the label value in the label's own type, or
 * the regression value) and, for classifiers, the class probabilities. Rows must have valid features.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<ScoringModel> model;
  private final int batchSize;

  ScorePartition(Broadcast<ScoringModel> model, int batchSize) {
    this.model = model;
    this.batchSize = batchSize;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return rows;
    }
    TaskThreads.prepare(0);
    ScoringModel scoring = model.value();
    TaskContext task = TaskContext.get();
    Network network =
        ExecutorNetworks.get("scoring:" + model.id() + ":" + (task == null ? 0 : task.partitionId()), scoring.configuration());
    network.setParams(scoring.parameters());
    ModelInputs inputs = scoring.inputs();
    Normalizer normalizer = inputs.normalizer();
    FeatureEncoder encoder = new FeatureEncoder(inputs.features(), normalizer);
    LabelIndex labels = inputs.labelIndex();
    boolean classifier = labels.kind().isClass();
    org.apache.spark.sql.types.DataType labelType = SchemaMapper.labelType(inputs.label());
    BatchEncoder batch = new BatchEncoder(encoder, inputs.layout(), batchSize);
    return new Iterator<>() {
      private final List<Row> pending = new ArrayList<>();
      private Iterator<Row> ready = List.<Row>of().iterator();

      @Override
      public boolean hasNext() {
        if (!ready.hasNext() && rows.hasNext()) {
          ready = scoreNext();
        }
        return ready.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.next();
      }

      private Iterator<Row> scoreNext() {
        pending.clear();
        while (pending.size() < batchSize && rows.hasNext()) {
          pending.add(rows.next());
        }
        int n = pending.size();
        for (int i = 0; i < n; i++) {
          Row row = pending.get(i);
          if (!batch.add(row.getStruct(row.length() - 1), 0)) {
            throw new IllegalStateException("A row with invalid features reached scoring: ScoringTable.validFeatures filters them first");
          }
        }
        BatchEncoder.Inputs x = batch.take();
        INDArray output = network.output(x.features(), x.masks()).castTo(DataType.DOUBLE);
        double[] flat = output.dup('c').data().asDouble();
        int outputs = (int) output.size(1);
        // ND4J's argmax, the first of equal scores, as the evaluator's: the class with the highest probability.
        int[] predicted = classifier ? output.argMax(1).toIntVector() : null;
        List<Row> scored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Row row = pending.get(i);
          Object[] values = new Object[row.length() + (classifier ? 1 : 0)];
          for (int c = 0; c < row.length() - 1; c++) {
            values[c] = row.get(c);
          }
          if (classifier) {
            double[] probabilities = new double[outputs];
            System.arraycopy(flat, i * outputs, probabilities, 0, outputs);
            values[row.length() - 1] = inLabelType(labels.valueAt(predicted[i]), labelType);
            // A Scala Seq, the external type Spark expects: rows can reach readers without conversion.
            // Predef's wrapper is a WrappedArray in Scala 2.12 and an ArraySeq in 2.13: one source for both.
            values[row.length()] = scala.Predef$.MODULE$.wrapDoubleArray(probabilities);
          } else {
            values[row.length() - 1] = normalizer.unscaleTarget(flat[i]);
          }
          scored.add(RowFactory.create(values));
        }
        return scored.iterator();
      }
    };
  }

  /** A label index value ({@code Long}, {@code Double} or {@code String}) as the label column's type. */
  static Object inLabelType(Object value, org.apache.spark.sql.types.DataType type) {
    if (value instanceof Long l) {
      if (type instanceof IntegerType) {
        return l.intValue();
      }
      if (type instanceof ShortType) {
        return l.shortValue();
      }
      if (type instanceof ByteType) {
        return l.byteValue();
      }
      return l;
    }
    if (value instanceof Double d && type instanceof FloatType) {
      return d.floatValue();
    }
    return value;
  }
}
