package io.sparkfit.exchange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The exchange's messages, each written and read in one place. */
final class Messages {
  private Messages() {}

  /** Where a worker of a ring listens for its left neighbour; empty host for a star's workers. */
  record Peer(String host, int port) {}

  /**
   * A worker's first message to the driver: who it is, which published state its network holds, and
   * (in a ring) where it listens for its left neighbour. Preceded by the token.
   */
  record Join(int epoch, int attempt, int worker, long heldVersion, Peer listensAt) {
    void write(Connection c, String token) throws IOException {
      c.writeToken(token);
      c.out().writeInt(epoch);
      c.out().writeInt(attempt);
      c.out().writeInt(worker);
      c.out().writeLong(heldVersion);
      c.out().writeUTF(listensAt.host());
      c.out().writeInt(listensAt.port());
      c.flush();
    }

    static Join read(Connection c, String token) throws IOException {
      c.expectToken(token);
      return new Join(c.in().readInt(), c.in().readInt(), c.in().readInt(), c.in().readLong(), new Peer(c.in().readUTF(), c.in().readInt()));
    }
  }

  /** A state the driver hands out, with its version; a ring's workers also get everyone's address. */
  static void writeState(Connection c, Received state, List<Peer> peers) throws IOException {
    c.writeMagic();
    c.out().writeLong(state.version());
    c.out().writeInt(state.iteration());
    c.out().writeInt(state.epoch());
    c.writeFloats(state.parameters());
    c.writeFloats(state.updaterState());
    c.out().writeInt(peers.size());
    for (Peer p : peers) {
      c.out().writeUTF(p.host());
      c.out().writeInt(p.port());
    }
    c.flush();
  }

  /** A handed-out state and the peers that came with it. */
  record Start(Received state, List<Peer> peers) {}

  static Start readState(Connection c) throws IOException {
    c.expectMagic();
    long version = c.in().readLong();
    int iteration = c.in().readInt();
    int epoch = c.in().readInt();
    Received state = new Received(version, iteration, epoch, c.readFloats(), c.readFloats());
    int count = c.in().readInt();
    if (count < 0 || count > 1_000_000) {
      throw new IOException("Corrupt exchange message: " + count + " peers");
    }
    List<Peer> peers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      peers.add(new Peer(c.in().readUTF(), c.in().readInt()));
    }
    return new Start(state, peers);
  }

  /** A star worker's round to the driver. */
  static void writeContribution(Connection c, Contribution contribution) throws IOException {
    c.writeMagic();
    c.out().writeInt(contribution.minibatches());
    c.out().writeLong(contribution.examples());
    c.writeFloats(contribution.parameters());
    c.writeFloats(contribution.updaterState());
    c.flush();
  }

  static Contribution readContribution(Connection c) throws IOException {
    c.expectMagic();
    int minibatches = c.in().readInt();
    long examples = c.in().readLong();
    return new Contribution(minibatches, examples, c.readFloats(), c.readFloats());
  }

  /** What a ring worker tells the driver: a round done (a few bytes), or the epoch's end. */
  static final int PROGRESS = 1;
  static final int FINAL = 2;

  static void writeProgress(Connection c, int round) throws IOException {
    c.writeMagic();
    c.out().writeInt(PROGRESS);
    c.out().writeInt(round);
    c.flush();
  }

  /**
   * A ring worker's end of epoch: the chunk of the averaged state it owns (parameters, then the updater
   * state where it is averaged), so that no worker's link carries the whole state to the driver; its
   * own updater state where the driver keeps those ({@code local}); and what it fitted in the last round.
   */
  record Final(int iteration, long lastRoundExamples, int chunk, float[] averaged, float[] ownUpdaterState) {
    void write(Connection c) throws IOException {
      c.writeMagic();
      c.out().writeInt(FINAL);
      c.out().writeInt(iteration);
      c.out().writeLong(lastRoundExamples);
      c.out().writeInt(chunk);
      c.writeFloats(averaged);
      c.writeFloats(ownUpdaterState);
      c.flush();
    }
  }

  /** The next message from a ring worker: {@code Integer} round of a progress report, or a {@link Final}. */
  static Object readReport(Connection c) throws IOException {
    c.expectMagic();
    int kind = c.in().readInt();
    if (kind == PROGRESS) {
      return c.in().readInt();
    }
    if (kind != FINAL) {
      throw new IOException("Corrupt exchange message: kind " + kind);
    }
    return new Final(c.in().readInt(), c.in().readLong(), c.in().readInt(), c.readFloats(), c.readFloats());
  }

  /** A ring worker's first message to its right neighbour. Preceded by the token. */
  record Hello(int epoch, int attempt, int worker) {
    void write(Connection c, String token) throws IOException {
      c.writeToken(token);
      c.out().writeInt(epoch);
      c.out().writeInt(attempt);
      c.out().writeInt(worker);
      c.flush();
    }

    static Hello read(Connection c, String token) throws IOException {
      c.expectToken(token);
      return new Hello(c.in().readInt(), c.in().readInt(), c.in().readInt());
    }
  }
}
