package io.sparkfit.testing;

/**
 * A class outside DL4J that records when the JVM initialises it, so a test can show that refusing a
 * network JSON naming it happened before anything instantiated it.
 */
public final class ForeignClass {
  public static final String LOADED_PROPERTY = "sparkfit.test.foreign-class-initialised";

  static {
    System.setProperty(LOADED_PROPERTY, "true");
  }

  public ForeignClass() {}
}
