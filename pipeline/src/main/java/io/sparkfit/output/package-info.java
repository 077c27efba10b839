/**
 * Writing outputs atomically: {@link io.sparkfit.output.StagedWrite}, the one staging-and-commit
 * mechanism behind the training output, checkpoints, predictions and the evaluate job's file, and
 * {@link io.sparkfit.output.OutputDirectory}, a job's output directory with its {@code _SUCCESS} marker.
 */
package io.sparkfit.output;
