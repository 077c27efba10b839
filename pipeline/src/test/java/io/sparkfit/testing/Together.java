package io.sparkfit.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;

/** Runs one body on several threads released at the same moment, for tests of racing writers. */
public final class Together {
  private Together() {}

  /** The body each thread runs, given its index. */
  @FunctionalInterface
  public interface Body {
    void run(int thread) throws Exception;
  }

  /** Runs {@code body} on {@code threads} threads started together, waits for all, and returns what they threw. */
  public static List<Throwable> run(int threads, Body body) throws InterruptedException {
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int index = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                  body.run(index);
                } catch (Throwable e) {
                  thrown.add(e);
                }
              });
      started.add(t);
      t.start();
    }
    for (Thread t : started) {
      t.join();
    }
    return thrown;
  }
}
