/** Benchmarks run by the scripts in {@code bench/}: ratios measured in one run, never thresholds in tests. */
package io.sparkfit.bench;
