/**
 * Values in and out of ND4J's off-heap memory in bulk: packed minibatches for the exchange between
 * executors, float copies, and network outputs handed to the ND4J-free metric evaluator.
 */
package io.sparkfit.nd4j;
