package io.sparkfit.testing;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/** What code logged while it ran, for tests that check what a run did rather than what it wrote. */
public final class TestLogs {
  private TestLogs() {}

  /** The messages logged under {@code loggerPrefix} (a package or class name) while {@code action} ran. */
  public static List<String> capture(String loggerPrefix, Runnable action) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    List<String> lines = new CopyOnWriteArrayList<>();
    AbstractAppender appender =
        new AbstractAppender("test-capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            if (event.getLoggerName().startsWith(loggerPrefix)) {
              lines.add(event.getMessage().getFormattedMessage());
            }
          }
        };
    appender.start();
    config.getRootLogger().addAppender(appender, null, null);
    context.updateLoggers();
    try {
      action.run();
    } finally {
      config.getRootLogger().removeAppender(appender.getName());
      context.updateLoggers();
      appender.stop();
    }
    return List.copyOf(lines);
  }
}
