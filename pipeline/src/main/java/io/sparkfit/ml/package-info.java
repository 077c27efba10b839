/**
 * Sparkfit in Spark ML pipelines: {@link io.sparkfit.ml.SparkfitEstimator} trains through the same
 * engine as the train job, and {@link io.sparkfit.ml.SparkfitModel} scores DataFrames; both save
 * and load with the pipeline.
 */
package io.sparkfit.ml;
