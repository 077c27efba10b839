/**
 * Scoring with a trained model: evaluate labelled data with the training metrics, and predict new
 * data, as Spark jobs. The model is broadcast once and applied per partition in minibatches.
 */
package io.sparkfit.score;
