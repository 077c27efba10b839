package io.sparkfit.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of behaviour that the Spark version can change: reading and validating tables through
 * Spark SQL (ANSI mode, casts, datetime parsing), the training engine's barrier stages and
 * accumulators, scoring, Spark ML, and the jobs' errors and exit codes under {@code spark-submit}.
 * {@code bin/test} runs every test on the default build and these again on the spark-3.5 build
 * ({@code mvn -Pspark-3.5 verify -Dgroups=spark-tied}). On a method, only that method is.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("spark-tied")
public @interface SparkTied {}
