package io.sparkfit.nd4j;

import io.sparkfit.metrics.Evaluator;
import io.sparkfit.metrics.MetricSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A network's outputs and labels as ND4J arrays, evaluated by the ND4J-free {@link Evaluator}. */
public final class NetworkOutputs {
  private NetworkOutputs() {}

  /** Evaluates a minibatch: [rows, outputs] predictions and [rows, labels] labels. */
  public static MetricSet evaluate(Evaluator evaluator, INDArray predictions, INDArray labels) {
    return evaluate(evaluator, predictions, labels, null);
  }

  /**
   * Evaluates a minibatch, leaving out the examples whose mask is 0.
   *
   * @param mask one value per example (a column or a row vector), or null for none
   */
  public static MetricSet evaluate(Evaluator evaluator, INDArray predictions, INDArray labels, INDArray mask) {
    return evaluator.evaluate(
        BulkFloats.of(predictions), BulkFloats.of(labels), (int) predictions.size(0), mask == null ? null : BulkFloats.of(mask));
  }

  /**
   * Evaluates a minibatch as {@code slicing} asks: as a whole, and per slice when the minibatch's
   * example metadata holds each example's slice indices.
   */
  public static MetricSet evaluate(
      io.sparkfit.metrics.Slicing slicing, Evaluator evaluator, INDArray predictions, INDArray labels, INDArray mask, java.util.List<?> sliceOfRow) {
    return slicing.evaluate(
        evaluator,
        BulkFloats.of(predictions),
        BulkFloats.of(labels),
        (int) predictions.size(0),
        mask == null ? null : BulkFloats.of(mask),
        sliceOfRow);
  }
}
