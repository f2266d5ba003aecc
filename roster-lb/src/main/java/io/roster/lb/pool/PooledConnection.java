package io.roster.lb.pool;

/** What a {@link ConnectionPool} needs from a connection. Implementations are thread-safe. */
public interface PooledConnection {

  /** Whether the connection can still carry a request. Cheap, non-blocking. */
  boolean isOpen();

  /** Closes the connection; idempotent, non-blocking. */
  void close();

  /**
   * Runs {@code listener} once when the connection closes, from either side; at once if it is
   * already closed. The pool uses it to forget idle connections the server closed.
   */
  void onClose(Runnable listener);
}
