package io.sparkfit.train;

import java.io.Serializable;

/** Where an averaging worker reaches the driver, and the secret that proves it belongs to the run. */
record WorkerAddress(String host, int port, String token) implements Serializable {
  @Override
  public String toString() {
    // The token stays out of logs and error messages.
    return host + ":" + port;
  }
}
