package io.sparkfit.guard;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/** The exact paired statistics of a {@link PairedState}: McNemar's exact test, Wilson intervals, the paired t-test. */
final class PairedStatistics {
  private PairedStatistics() {}

  /**
   * McNemar's exact test: the two-sided binomial test of {@code b} successes in {@code b + c} trials
   * at 1/2, which for p = 1/2 is {@code min(1, 2 P(X <= min(b, c)))} (scipy's binomtest agrees).
   */
  static double mcnemarExact(long b, long c) {
    long n = b + c;
    if (n == 0) {
      return 1.0;
    }
    return Math.min(1.0, 2 * lowerTail(Math.min(b, c), n));
  }

  /** P(X <= k) for X ~ Binomial(n, 1/2). */
  static double lowerTail(long k, long n) {
    if (n == 0) {
      return 1.0;
    }
    if (n > Integer.MAX_VALUE) {
      // Past Commons Math's int trials: the normal approximation, with continuity correction, is exact to ~1e-5 here.
      return normalCdf((k + 0.5 - n / 2.0) / Math.sqrt(n / 4.0));
    }
    return new BinomialDistribution(null, (int) n, 0.5).cumulativeProbability((int) k);
  }

  /** The two-sided {@code 1 - alpha} Wilson score interval of {@code successes} in {@code n}. */
  static Comparison.Accuracy wilson(long successes, long n, double alpha) {
    return n == 0 ? wilson(Double.NaN, 0, alpha) : wilson((double) successes / n, n, alpha);
  }

  /**
   * The two-sided {@code 1 - alpha} Wilson score interval of a proportion {@code p} of {@code n}
   * rows: of weighted rows, at their effective number (Kish's {@code (Σw)² / Σw²}).
   */
  static Comparison.Accuracy wilson(double p, double n, double alpha) {
    if (n == 0) {
      return new Comparison.Accuracy(Double.NaN, Double.NaN, Double.NaN);
    }
    double z = new NormalDistribution(null, 0, 1).inverseCumulativeProbability(1 - alpha / 2);
    double denominator = 1 + z * z / n;
    double centre = (p + z * z / (2.0 * n)) / denominator;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
    return new Comparison.Accuracy(p, Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /** Φ(x). */
  static double normalCdf(double x) {
    return new NormalDistribution(null, 0, 1).cumulativeProbability(x);
  }

  /** P(T <= t) for Student's t with {@code degrees} degrees of freedom. */
  static double studentCdf(double t, double degrees) {
    return new TDistribution(null, degrees).cumulativeProbability(t);
  }
}
