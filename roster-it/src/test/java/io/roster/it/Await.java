package io.roster.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a bound, failing with a description (never a timed assertion). */
final class Await {
  private Await() {}

  static void until(Duration bound, String what, BooleanSupplier condition) {
    until(bound, () -> what, condition);
  }

  static void until(Duration bound, Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what.get() + " (waited " + bound + ")");
      }
      ServerProcess.sleep(20);
    }
  }
}
