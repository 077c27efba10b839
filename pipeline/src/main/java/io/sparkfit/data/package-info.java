/**
 * Parquet to DL4J minibatches: schema mapping for the three feature layouts and the label kinds, one
 * checking and profiling pass over the data, the label index, the normalizer, and per-partition
 * minibatches.
 */
package io.sparkfit.data;
