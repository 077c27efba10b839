package io.sparkfit.exchange;

/**
 * What a worker takes from the exchange: where an epoch starts, or a round's average, and the version
 * under which the driver knows that state. An empty array means "keep yours": the worker holds those
 * values already, or (the updater state under {@code updater-state = local}) its own.
 */
public record Received(long version, int iteration, int epoch, float[] parameters, float[] updaterState) {}
