package io.roster.lb.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before a retry. Implementations are immutable and thread-safe; randomness is
 * passed in.
 *
 * <p>The default is {@link #fullJitter}: "exponential backoff and jitter" (Marc Brooker, AWS
 * Architecture Blog, 2015), which spreads the retries of many clients that failed together over the
 * whole interval instead of bunching them at its end, and so finishes sooner with less contention
 * than plain or "equal" jitter.
 */
@FunctionalInterface
public interface Backoff {

  /** The delay before retry number {@code retry} (1 for the first retry), in nanoseconds, ≥ 0. */
  long delayNanos(int retry, RandomGenerator random);

  /** Retry at once. */
  static Backoff none() {
    return (retry, random) -> 0;
  }

  /** Always wait {@code delay}. */
  static Backoff constant(Duration delay) {
    long nanos = requireNonNegative(delay);
    return (retry, random) -> nanos;
  }

  /**
   * Uniform in [0, min(cap, base × 2^(retry−1))]. §9.3 recommends base 25 ms and cap 250 ms for
   * in-datacenter calls.
   *
   * @throws IllegalArgumentException if {@code base} is not positive or {@code cap < base}
   */
  static Backoff fullJitter(Duration base, Duration cap) {
    long b = requireNonNegative(base);
    long c = requireNonNegative(cap);
    if (b == 0 || c < b) {
      throw new IllegalArgumentException("need 0 < base ≤ cap");
    }
    return (retry, random) -> {
      int shift = Math.min(Math.max(retry, 1) - 1, 62);
      long ceiling = b > (c >> shift) ? c : Math.min(c, b << shift);
      return random.nextLong(ceiling + 1);
    };
  }

  private static long requireNonNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + d);
    }
    return d.toNanos();
  }
}
