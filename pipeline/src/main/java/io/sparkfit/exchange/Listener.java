package io.sparkfit.exchange;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's listening socket and its threads: one daemon thread accepts, and each connection is
 * served on a daemon thread of its own. Closing it closes every connection it accepted.
 */
final class Listener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

  private final ServerSocket server;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private Listener(ServerSocket server) {
    this.server = server;
  }

  /** Listens on {@code bindHost:port} (0: any free port), serving each connection with {@code serve}. */
  static Listener start(String bindHost, int port, int backlog, Consumer<Connection> serve) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), backlog);
    Listener listener = new Listener(server);
    Thread acceptor = new Thread(() -> listener.accept(serve), "sparkfit-exchange-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
    return listener;
  }

  int port() {
    return server.getLocalPort();
  }

  boolean closed() {
    return closed;
  }

  private void accept(Consumer<Connection> serve) {
    while (!closed) {
      try {
        Socket socket = server.accept();
        Connection connection = Connection.blocking(socket);
        connections.add(connection);
        Thread worker =
            new Thread(
                () -> {
                  try {
                    serve.accept(connection);
                  } finally {
                    connections.remove(connection);
                    connection.close();
                  }
                },
                "sparkfit-exchange-worker");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("Exchange: accepting a worker failed: {}", e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("Exchange: closing the listener: {}", e.toString());
    }
    connections.forEach(Connection::close);
  }
}
