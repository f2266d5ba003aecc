package io.roster.lb;

/**
 * Runs a task after a delay: the only way roster-lb defers work, so that a simulator can drive it
 * from a discrete-event queue and production from a timer wheel.
 *
 * <p>Implementations are thread-safe, never run the task on the calling thread before {@link
 * #schedule} returns, and never block.
 */
@FunctionalInterface
public interface Scheduler {

  /** Runs {@code task} once, {@code delayNanos} (≥ 0) from now. */
  void schedule(long delayNanos, Runnable task);
}
