/**
 * Training on Spark behind the small {@link io.sparkfit.train.Trainer} interface: Sparkfit's own
 * parameter-averaging engine (the default) and DL4J's {@code ParameterAveragingTrainingMaster}, and the
 * ND4J thread limits every task applies.
 */
package io.sparkfit.train;
