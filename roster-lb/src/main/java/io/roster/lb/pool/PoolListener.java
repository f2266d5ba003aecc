package io.roster.lb.pool;

/**
 * Told about a {@link ConnectionPool}'s acquires, for metrics. Called on whatever thread completes
 * the acquire; must be fast, thread-safe and must not throw.
 */
public interface PoolListener {
  /** Does nothing. */
  PoolListener NONE = new PoolListener() {};

  /** An acquire succeeded after waiting {@code waitNanos} (0 for an idle connection). */
  default void acquired(long waitNanos) {}

  /** An acquire failed at once because the queue was full. */
  default void overflowed() {}

  /** An acquire timed out. */
  default void timedOut() {}
}
