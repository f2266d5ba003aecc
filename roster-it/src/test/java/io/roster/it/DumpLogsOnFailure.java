package io.roster.it;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the log tail of every server process the test class started when one of its tests fails,
 * so a CI failure shows what the server said.
 */
final class DumpLogsOnFailure implements BeforeAllCallback, TestWatcher {
  @Override
  public void beforeAll(ExtensionContext context) {
    ServerProcess.forgetStarted();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (ServerProcess s : ServerProcess.started()) {
      System.out.println(
          "==== "
              + context.getDisplayName()
              + " failed; log of "
              + s
              + " (alive="
              + s.isAlive()
              + ")\n"
              + s.logTail(40));
    }
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    throw new IllegalStateException(
        "roster-it tests must not be disabled: " + context.getDisplayName());
  }
}
