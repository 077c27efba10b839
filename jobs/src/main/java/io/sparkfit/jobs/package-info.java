/** The spark-submit entry points and the {@code sparkfit} command. */
package io.sparkfit.jobs;
