package io.sparkfit.exchange;

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
 * One exchange connection (worker to driver, or worker to worker): buffered streams over a socket,
 * every message starting with a magic number, float arrays written as one block of bytes in little-endian
 * order (a plain copy on x86), and bytes counted each way. Reads can be made to give up when the caller
 * is cancelled (a killed Spark task), since a blocked socket read does not notice a kill on its own.
 * The first message on any connection carries the run's secret token, checked before anything else
 * that arrives on it is used.
 */
final class Connection implements AutoCloseable {
  /** Checked on every message, so a peer from another program or version is refused at once. */
  static final int MAGIC = 0x5346_5832; // "SFX2"
  private static final int BUFFER = 1 << 16;

  private final Socket socket;
  private final CountingInput counted;
  private final DataInputStream in;
  private final DataOutputStream out;
  private byte[] scratch = new byte[0];

  private Connection(Socket socket, InputStream raw) throws IOException {
    this.socket = socket;
    this.counted = new CountingInput(raw);
    this.in = new DataInputStream(new BufferedInputStream(counted, BUFFER));
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
  }

  /** A connection whose reads block until data comes or the socket closes (the driver's side). */
  static Connection blocking(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    return new Connection(socket, socket.getInputStream());
  }

  /** A connection whose reads wake once a second and give up once {@code cancelled} says so (a task's side). */
  static Connection cancellable(Socket socket, BooleanSupplier cancelled) throws IOException {
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(1000);
    return new Connection(socket, new CancellableInput(socket.getInputStream(), cancelled));
  }

  DataInputStream in() {
    return in;
  }

  DataOutputStream out() {
    return out;
  }

  /** Bytes written to the socket so far (the stream's count, flushed or not). */
  long bytesSent() {
    return out.size() & 0xFFFF_FFFFL;
  }

  /** Bytes read from the socket so far. */
  long bytesReceived() {
    return counted.count;
  }

  void writeMagic() throws IOException {
    out.writeInt(MAGIC);
  }

  void expectMagic() throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IOException(String.format("Not a Sparkfit exchange message (starts with 0x%08x)", magic));
    }
  }

  /** The first message of a connection: the magic and the run's secret. */
  void writeToken(String token) throws IOException {
    writeMagic();
    out.writeUTF(token);
  }

  /** Reads the first message; a wrong token ends the connection before anything it sends is used. */
  void expectToken(String token) throws IOException {
    expectMagic();
    if (!token.equals(in.readUTF())) {
      throw new IOException("wrong token from " + socket.getRemoteSocketAddress());
    }
  }

  void writeFloats(float[] values) throws IOException {
    writeFloats(values, 0, values.length);
  }

  /** {@code length} values from {@code offset}, as their count and one block of bytes. */
  void writeFloats(float[] values, int offset, int length) throws IOException {
    out.writeInt(length);
    byte[] bytes = scratch(length);
    ByteBuffer.wrap(bytes, 0, length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, offset, length);
    out.write(bytes, 0, length * Float.BYTES);
  }

  float[] readFloats() throws IOException {
    int length = readLength(Integer.MAX_VALUE / Float.BYTES);
    float[] values = new float[length];
    readFloatsInto(values, 0, length);
    return values;
  }

  /** Reads an array of exactly {@code length} values into {@code into} at {@code offset}. */
  void readFloats(float[] into, int offset, int length) throws IOException {
    int sent = readLength(Integer.MAX_VALUE / Float.BYTES);
    if (sent != length) {
      throw new IOException("Exchange message of " + sent + " values where " + length + " were expected");
    }
    readFloatsInto(into, offset, length);
  }

  private void readFloatsInto(float[] into, int offset, int length) throws IOException {
    byte[] bytes = scratch(length);
    in.readFully(bytes, 0, length * Float.BYTES);
    ByteBuffer.wrap(bytes, 0, length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into, offset, length);
  }

  private int readLength(int most) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > most) {
      throw new IOException("Corrupt exchange message: array length " + length);
    }
    return length;
  }

  private byte[] scratch(int floats) {
    int bytes = Math.multiplyExact(floats, Float.BYTES);
    if (scratch.length < bytes) {
      scratch = new byte[bytes];
    }
    return scratch;
  }

  void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is how an attempt is ended; a socket that is already broken needs nothing more.
    }
  }

  /** Counts the bytes read from the socket. */
  private static final class CountingInput extends FilterInputStream {
    long count;

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
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
        throw new InterruptedIOException("Cancelled while waiting for the exchange");
      }
    }
  }
}
