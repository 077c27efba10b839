package io.sparkfit.exchange;

import java.util.Map;

/**
 * The versions of the states the driver hands out, and the state the last epoch ended with. A worker
 * says which version its network holds when it joins; if that is the epoch's starting state, nothing
 * is sent (with one worker, or from the second epoch on, the common case). Under {@code updater-state
 * = local} it also keeps each worker's own updater state from the end of the last epoch, so that a
 * worker that must be sent the starting state (a retried stage attempt, a network rebuilt) gets its
 * own back and the epoch runs as it would have. Guarded by its coordinator.
 */
final class StateVersions {
  /** The version of no published state: a new network, or one changed since. */
  static final long NONE = 0;

  /** A state and the version it is handed out under. */
  record Versioned(ExchangeState state, long version) {}

  private long last = NONE;
  private Versioned lastEnd;
  private Map<Integer, float[]> lastLocalUpdaters = Map.of();

  /** A new version of {@code state}. */
  Versioned publish(ExchangeState state) {
    return new Versioned(state, ++last);
  }

  /**
   * Where an epoch starts: the last epoch's end's version when it continues it (same values), else a
   * new version; with {@code start}'s own counts either way, which move on between epochs.
   */
  Versioned begin(ExchangeState start) {
    return continues(start) ? new Versioned(start, lastEnd.version()) : publish(start);
  }

  /** Each worker's updater state to start an epoch from, when it continues the last one (else empty). */
  Map<Integer, float[]> localUpdatersFor(ExchangeState start) {
    return continues(start) ? lastLocalUpdaters : Map.of();
  }

  private boolean continues(ExchangeState start) {
    return lastEnd != null && lastEnd.state().sameValues(start);
  }

  /** Records how an epoch ended, and each worker's own updater state then (under {@code local}). */
  void ended(Versioned end, Map<Integer, float[]> localUpdaters) {
    lastEnd = end;
    lastLocalUpdaters = Map.copyOf(localUpdaters);
  }
}
