package io.sparkfit.exchange;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Runs a round that may fail with an {@link IOException} where only unchecked failures can pass (a future). */
final class Rounds {
  private Rounds() {}

  interface Round<T> {
    T run() throws IOException;
  }

  static <T> T unchecked(Round<T> round) {
    try {
      return round.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
