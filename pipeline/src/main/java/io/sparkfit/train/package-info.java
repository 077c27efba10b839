/**
 * Training on Spark behind the small {@link io.sparkfit.train.Trainer} interface; today DL4J's
 * parameter averaging.
 */
package io.sparkfit.train;
