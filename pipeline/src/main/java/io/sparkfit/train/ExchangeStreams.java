package io.sparkfit.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * The two ends of an averaging connection: buffered data streams over a socket, with float arrays
 * written as one block of bytes. Reads can be made to give up when the caller is cancelled (a killed
 * Spark task), since a blocked socket read does not notice a kill on its own.
 */
final class ExchangeStreams implements AutoCloseable {
  /** Checked on every read, so a peer from another program or version is refused at once. */
  static final int MAGIC = 0x5346_4158; // "SFAX"

  private final Socket socket;
  final DataInputStream in;
  final DataOutputStream out;

  private ExchangeStreams(Socket socket, InputStream in) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(in, 1 << 16));
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
  }

  /** Streams whose reads block until data comes or the socket closes. */
  static ExchangeStreams blocking(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    return new ExchangeStreams(socket, socket.getInputStream());
  }

  /** Streams whose reads wake once a second and throw once {@code cancelled} says so. */
  static ExchangeStreams cancellable(Socket socket, BooleanSupplier cancelled) throws IOException {
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(1000);
    return new ExchangeStreams(socket, new CancellableInput(socket.getInputStream(), cancelled));
  }

  void writeFloats(float[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
    bytes.asFloatBuffer().put(values);
    out.write(bytes.array());
  }

  float[] readFloats() throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("Corrupt averaging message: array length " + length);
    }
    byte[] bytes = new byte[Math.multiplyExact(length, Float.BYTES)];
    in.readFully(bytes);
    float[] values = new float[length];
    ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  /** A worker's first message: who it is, and which published state its network holds. */
  void writeJoin(String token, int epoch, int attempt, int worker, long heldVersion) throws IOException {
    out.writeInt(MAGIC);
    out.writeUTF(token);
    out.writeInt(epoch);
    out.writeInt(attempt);
    out.writeInt(worker);
    out.writeLong(heldVersion);
    out.flush();
  }

  /** A worker's first message, after its token has been checked by the caller. */
  record Join(int epoch, int attempt, int worker, long heldVersion) {}

  Join readJoin(String token) throws IOException {
    expectMagic();
    if (!token.equals(in.readUTF())) {
      throw new IOException("wrong token from " + socket.getRemoteSocketAddress());
    }
    return new Join(in.readInt(), in.readInt(), in.readInt(), in.readLong());
  }

  /**
   * A state the driver publishes, and its version. An empty array means "keep yours": the receiver
   * holds these values already, or (updater state under {@code updater-state = local}) its own.
   */
  record State(long version, int iteration, int epoch, float[] parameters, float[] updaterState) {}

  void writeState(State state) throws IOException {
    out.writeInt(MAGIC);
    out.writeLong(state.version());
    out.writeInt(state.iteration());
    out.writeInt(state.epoch());
    writeFloats(state.parameters());
    writeFloats(state.updaterState());
    out.flush();
  }

  State readState() throws IOException {
    expectMagic();
    long version = in.readLong();
    int iteration = in.readInt();
    int epoch = in.readInt();
    return new State(version, iteration, epoch, readFloats(), readFloats());
  }

  /** What a worker fitted in a round, and its values (empty arrays: not sent). */
  void writeContribution(AveragingCoordinator.Contribution contribution) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(contribution.minibatches());
    out.writeLong(contribution.examples());
    writeFloats(contribution.parameters());
    writeFloats(contribution.updaterState());
    out.flush();
  }

  AveragingCoordinator.Contribution readContribution() throws IOException {
    expectMagic();
    int minibatches = in.readInt();
    long examples = in.readLong();
    return new AveragingCoordinator.Contribution(minibatches, examples, readFloats(), readFloats());
  }

  void expectMagic() throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IOException(String.format("Not a Sparkfit averaging message (starts with 0x%08x)", magic));
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Retries reads that time out until the data comes, or the owner is cancelled. */
  private static final class CancellableInput extends FilterInputStream {
    private final BooleanSupplier cancelled;

    CancellableInput(InputStream in, BooleanSupplier cancelled) {
      super(in);
      this.cancelled = cancelled;
    }

    @Override
    public int read() throws IOException {
      while (true) {
        try {
          return super.read();
        } catch (SocketTimeoutException e) {
          checkCancelled();
        }
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (true) {
        try {
          return super.read(b, off, len);
        } catch (SocketTimeoutException e) {
          checkCancelled();
        }
      }
    }

    private void checkCancelled() throws InterruptedIOException {
      if (cancelled.getAsBoolean()) {
        throw new InterruptedIOException("Cancelled while waiting for the averaged parameters");
      }
    }
  }
}
