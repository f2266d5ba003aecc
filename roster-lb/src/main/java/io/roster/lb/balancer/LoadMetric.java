package io.roster.lb.balancer;

/**
 * One endpoint's load as a number to compare, lower is better. Implementations are thread-safe and
 * never block; {@link #load} is read twice per P2C pick, so it must be O(1).
 */
interface LoadMetric {

  /** A request starts at {@code now}. */
  void start(long now);

  /** A request that started earlier ends at {@code now} after {@code rttNanos}. */
  void end(long now, long rttNanos);

  /**
   * Like {@link #end(long, long)}, also told whether the request failed; metrics that price errors
   * override it. The default ignores the outcome.
   */
  default void end(long now, long rttNanos, boolean failed) {
    end(now, rttNanos);
  }

  /** A request that started earlier ends without a latency worth learning from (cancelled). */
  default void abandon(long now) {
    end(now, -1);
  }

  /** Current load; may decay state as a side effect. */
  double load(long now);

  /** Requests in flight. */
  int pending();

  /** The latency this metric believes in, in nanoseconds, or NaN if it does not track latency. */
  double latencyNanos(long now);
}
