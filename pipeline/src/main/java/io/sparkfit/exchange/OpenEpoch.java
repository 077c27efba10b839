package io.sparkfit.exchange;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One epoch on the driver, across the attempts of its barrier stage: which workers belong to the live
 * attempt, how far it got, and how it ended. Spark re-runs a failed barrier stage as a new attempt of
 * all its tasks; a worker of a newer attempt replaces the old attempt entirely, which starts the epoch
 * over from its starting state. Guarded by its coordinator.
 */
final class OpenEpoch {
  final int number;
  final StateVersions.Versioned start;
  final int rounds;
  /** Each worker's updater state to start from, if not the epoch's (see {@link StateVersions}). */
  final Map<Integer, float[]> startLocalUpdaters;
  final Map<Integer, Connection> members = new TreeMap<>();
  /** Where each member of a ring listens for its left neighbour, as it joined. */
  final Map<Integer, Messages.Peer> addresses = new TreeMap<>();
  /** The chunks of the averaged state a ring's workers sent at the end of the epoch. */
  final Map<Integer, Messages.Final> finals = new TreeMap<>();
  /** A star's contributions to the round in progress. */
  final Map<Integer, Contribution> contributions = new TreeMap<>();
  /** Each worker's updater state after the last round, as it sent it ({@code updater-state = local}). */
  final Map<Integer, float[]> localUpdaters = new TreeMap<>();
  /** What each of a ring's workers fitted in the last round, for the weights of the local updater states. */
  final Map<Integer, Long> lastRoundExamples = new TreeMap<>();
  int attempt = -1;
  boolean abandoned;
  int round;
  StateVersions.Versioned state;
  /** The averaged state the epoch ended with, once every round is done and reported. */
  StateVersions.Versioned ended;

  OpenEpoch(int number, StateVersions.Versioned start, int rounds, Map<Integer, float[]> startLocalUpdaters) {
    this.number = number;
    this.start = start;
    this.rounds = rounds;
    this.startLocalUpdaters = startLocalUpdaters;
    this.state = start;
  }

  /**
   * Admits {@code worker} of stage attempt {@code attempt}; a newer attempt first replaces the old one.
   *
   * @return whether the epoch started over
   */
  boolean admit(int attempt, int worker, int workers, Messages.Peer listensAt, Connection connection) throws IOException {
    if (attempt < this.attempt) {
      throw new IOException("worker " + worker + " belongs to abandoned stage attempt " + attempt);
    }
    boolean restarted = attempt > this.attempt;
    if (restarted) {
      members.values().forEach(Connection::close);
      members.clear();
      addresses.clear();
      finals.clear();
      contributions.clear();
      localUpdaters.clear();
      lastRoundExamples.clear();
      this.attempt = attempt;
      abandoned = false;
      round = 0;
      state = start;
      ended = null;
    }
    if (abandoned) {
      throw new IOException("stage attempt " + attempt + " was abandoned");
    }
    if (worker < 0 || worker >= workers || members.containsKey(worker)) {
      throw new IOException("unexpected worker " + worker + " in stage attempt " + attempt);
    }
    members.put(worker, connection);
    addresses.put(worker, listensAt);
    return restarted;
  }

  /** Whether {@code attempt} is still the live one, at {@code round}. */
  boolean live(int attempt, int round) {
    return live(attempt) && this.round == round;
  }

  /** Whether {@code attempt} is still the live one. */
  boolean live(int attempt) {
    return this.attempt == attempt && !abandoned;
  }

  /** Ends the live attempt: every member is disconnected, so that its tasks end and free their slots. */
  void abandon() {
    abandoned = true;
    members.values().forEach(Connection::close);
    members.clear();
    contributions.clear();
  }

  /** The updater state {@code worker} starts from: its own under {@code local} when the epoch continues the last, else the epoch's. */
  float[] startUpdaterOf(int worker) {
    return startLocalUpdaters.getOrDefault(worker, start.state().updaterState());
  }
}
