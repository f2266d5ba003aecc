package io.roster.lb.retry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The deadline-aware gate (client-resilience.md §8 gap 4, §9.3): a retry that cannot finish before
 * the request's deadline only adds load, so it is refused. "Cannot finish" means the time left
 * after the backoff is below safety × the expected attempt latency, with safety 1.5 by default.
 *
 * <p>The expected latency is an exponentially weighted moving average of observed attempt latencies
 * (weight 1/8 per sample, as TCP's SRTT). Until the first sample it is 0, so the gate only refuses
 * retries that would start after the deadline. The estimate is one atomic word updated by CAS;
 * concurrent updates may interleave but never lose the word's consistency.
 *
 * <p>Thread-safe and lock-free.
 */
public final class DeadlineGate {
  private static final double ALPHA = 0.125;

  private final double safety;
  private final AtomicLong estimateBits = new AtomicLong(Double.doubleToRawLongBits(0));
  private final AtomicLong samples = new AtomicLong();

  /**
   * A gate requiring {@code safety} × the expected attempt latency before the deadline.
   *
   * @throws IllegalArgumentException if {@code safety} is negative or NaN
   */
  public DeadlineGate(double safety) {
    if (!(safety >= 0)) {
      throw new IllegalArgumentException("safety must be ≥ 0");
    }
    this.safety = safety;
  }

  /** Learns from one attempt that took {@code latencyNanos}. */
  public void observe(long latencyNanos) {
    boolean first = samples.getAndIncrement() == 0;
    estimateBits.getAndUpdate(
        bits -> {
          double old = Double.longBitsToDouble(bits);
          double next = first ? latencyNanos : old + ALPHA * (latencyNanos - old);
          return Double.doubleToRawLongBits(next);
        });
  }

  /** The expected attempt latency, in nanoseconds; 0 before the first sample. */
  public double expectedNanos() {
    return Double.longBitsToDouble(estimateBits.get());
  }

  /** Whether an attempt starting {@code delayNanos} after {@code now} can end by the deadline. */
  public boolean admits(long now, long deadline, long delayNanos) {
    double left = (double) deadline - now - delayNanos;
    return left > 0 && left >= safety * expectedNanos();
  }
}
