/**
 * Reading tables and minibatching: Parquet read in bounded batches, the label column's kind, the
 * training and validation data checked and profiled in one pass before training, the scoring table
 * checked against what a model reads, and per-partition minibatches laid out as the network's inputs.
 * Each feature column's own behaviour belongs to its kind ({@code features}).
 */
package io.sparkfit.data;
