package io.sparkfit.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script with Debian's {@code /usr/bin/python3}, whose scipy and scikit-learn
 * ({@code python3-scipy}, {@code python3-sklearn}) {@code bin/test} installs: the reference
 * implementations Sparkfit's statistics are checked against.
 */
public final class Python {
  public static final String PYTHON = "/usr/bin/python3";

  private Python() {}

  /** Runs {@code script} with {@code stdin} as its standard input; returns its standard output, or fails with it. */
  public static String run(String script, String stdin) throws IOException, InterruptedException {
    Process python = new ProcessBuilder(PYTHON, "-c", script).redirectErrorStream(true).start();
    python.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    python.getOutputStream().close();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!python.waitFor(2, TimeUnit.MINUTES) || python.exitValue() != 0) {
      throw new IllegalStateException(PYTHON + " failed: " + output);
    }
    return output;
  }
}
