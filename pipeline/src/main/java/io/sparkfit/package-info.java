/** Sparkfit: deep-learning training as Spark jobs; the failures it explains in one line, with their exit codes. */
package io.sparkfit;
