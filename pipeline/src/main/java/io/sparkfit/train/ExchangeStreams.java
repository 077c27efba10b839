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

  void writeState(RoundStart state) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(state.iteration());
    out.writeInt(state.epoch());
    writeFloats(state.parameters());
    writeFloats(state.updaterState());
    out.flush();
  }

  RoundStart readState() throws IOException {
    expectMagic();
    int iteration = in.readInt();
    int epoch = in.readInt();
    return new RoundStart(readFloats(), readFloats(), iteration, epoch);
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
