package io.sparkfit.config;

import io.sparkfit.InvalidInputException;

/**
 * Where the model, metrics and provenance go; an existing directory is replaced only with overwrite.
 *
 * @param leaseTimeoutSeconds a run holds a lease on {@code dir} while it works and renews it every
 *     sixth of this; another run takes over a lease not renewed for this long (its holder died)
 */
public record OutputConfig(String dir, boolean overwrite, int leaseTimeoutSeconds) {
  public static final int DEFAULT_LEASE_TIMEOUT_SECONDS = 60;

  public OutputConfig {
    Checks.nonBlank(dir, "output.dir");
    InvalidInputException.check(
        leaseTimeoutSeconds >= Limits.MIN_LEASE_TIMEOUT_SECONDS,
        "Invalid output.lease-timeout-seconds: %s (must be >= %s)",
        leaseTimeoutSeconds,
        Limits.MIN_LEASE_TIMEOUT_SECONDS);
    Checks.atMost(leaseTimeoutSeconds, Limits.MAX_LEASE_TIMEOUT_SECONDS, "output.lease-timeout-seconds");
  }

  /** With the default lease timeout. */
  public OutputConfig(String dir, boolean overwrite) {
    this(dir, overwrite, DEFAULT_LEASE_TIMEOUT_SECONDS);
  }
}
