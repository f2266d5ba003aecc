package io.roster.it;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the log tail of every server process the test class started when one of its tests fails, so
 * a CI failure shows what the server said.
 */
final class DumpLogsOnFailure implements BeforeAllCallback, TestWatcher {
  private static final Logger log = LoggerFactory.getLogger(DumpLogsOnFailure.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    ServerProcess.forgetStarted();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (ServerProcess s : ServerProcess.started()) {
      log.warn(
          "==== {} failed; log of {} (alive={})\n{}",
          context.getDisplayName(),
          s,
          s.isAlive(),
          s.logTail(40));
    }
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    throw new IllegalStateException(
        "roster-it tests must not be disabled: " + context.getDisplayName());
  }
}
