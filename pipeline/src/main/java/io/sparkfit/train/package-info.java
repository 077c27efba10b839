/**
 * Training on Spark behind the small {@link io.sparkfit.train.Trainer} interface: Sparkfit's own
 * parameter-averaging engine (the default) and DL4J's {@code ParameterAveragingTrainingMaster}.
 * Task set-up on the executors is {@link io.sparkfit.executor}'s.
 */
package io.sparkfit.train;
