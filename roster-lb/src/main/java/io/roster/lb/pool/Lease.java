package io.roster.lb.pool;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's use of one pooled connection. End it exactly once, with {@link #release()} when the
 * connection may carry another request or {@link #discard()} when it may not (an error, a timeout,
 * {@code Connection: close}); later calls are ignored. Thread-safe.
 *
 * @param <C> the connection type
 */
public final class Lease<C extends PooledConnection> {
  private final ConnectionPool<C> pool;
  private final ConnectionPool.Slot<C> slot;
  private final AtomicBoolean ended = new AtomicBoolean();

  Lease(ConnectionPool<C> pool, ConnectionPool.Slot<C> slot) {
    this.pool = pool;
    this.slot = slot;
  }

  /** The connection to send on. */
  public C connection() {
    return slot.connection;
  }

  /** Returns the connection to the pool (it is closed instead if broken or past its lifetime). */
  public void release() {
    if (ended.compareAndSet(false, true)) {
      pool.release(slot, true);
    }
  }

  /** Closes the connection and frees its place in the pool. */
  public void discard() {
    if (ended.compareAndSet(false, true)) {
      pool.release(slot, false);
    }
  }
}
