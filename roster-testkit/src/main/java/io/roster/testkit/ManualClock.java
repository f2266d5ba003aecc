package io.roster.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A clock that moves only when told: nanoseconds as a {@link LongSupplier}, for code that takes its
 * time as an argument. Thread-safe.
 */
public final class ManualClock implements LongSupplier {
  private final AtomicLong nanos;

  /** A clock at {@code startNanos}. */
  public ManualClock(long startNanos) {
    this.nanos = new AtomicLong(startNanos);
  }

  @Override
  public long getAsLong() {
    return nanos.get();
  }

  /** Moves the clock forward by {@code d} (never backwards). */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a clock does not go back: " + d);
    }
    nanos.addAndGet(d.toNanos());
  }
}
