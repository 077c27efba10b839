package io.sparkfit.exchange;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** A worker of a star: each round is one round trip to the driver's {@link StarCoordinator}. */
final class StarWorker implements WorkerExchange {
  private static final int CONNECT_TIMEOUT_MS = 30_000;

  private final Connection driver;
  private final Received start;
  private final UpdaterSharing updater;
  private ExecutorService background;

  private StarWorker(Connection driver, Received start, UpdaterSharing updater) {
    this.driver = driver;
    this.start = start;
    this.updater = updater;
  }

  static StarWorker join(Ticket ticket, Member member, BooleanSupplier cancelled) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(ticket.host(), ticket.port()), CONNECT_TIMEOUT_MS);
      Connection driver = Connection.cancellable(socket, cancelled);
      new Messages.Join(member.epoch(), member.attempt(), member.worker(), member.heldVersion(), new Messages.Peer("", 0))
          .write(driver, ticket.token());
      return new StarWorker(driver, Messages.readState(driver).state(), new UpdaterSharing(ticket.updaterState()));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  @Override
  public Received start() {
    return start;
  }

  @Override
  public Received round(Contribution mine) throws IOException {
    Contribution sent = mine.fitted() ? mine : new Contribution(mine.minibatches(), 0, new float[0], mine.updaterState());
    Messages.writeContribution(driver, sent);
    return Messages.readState(driver).state();
  }

  @Override
  public CompletableFuture<Received> roundAsync(Contribution mine) {
    if (background == null) {
      background = Executors.newSingleThreadExecutor(daemon("sparkfit-exchange-round"));
    }
    return CompletableFuture.supplyAsync(() -> Rounds.unchecked(() -> round(mine)), background);
  }

  @Override
  public boolean wantsParameters(boolean fitted) {
    return fitted;
  }

  @Override
  public boolean wantsUpdaterState(boolean fitted, boolean lastRound) {
    return updater.sent(fitted, lastRound);
  }

  @Override
  public boolean resetsUpdaterState() {
    return updater.resetOnAverage();
  }

  @Override
  public long bytesSent() {
    return driver.bytesSent();
  }

  @Override
  public void close() {
    if (background != null) {
      background.shutdownNow();
    }
    driver.close();
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

}
