package io.roster.lb.pool;

import java.util.concurrent.CompletionStage;

/**
 * Opens connections to one endpoint for a {@link ConnectionPool}. Must not block; thread-safe.
 *
 * @param <C> the connection type
 */
@FunctionalInterface
public interface Connector<C extends PooledConnection> {

  /** Starts opening a connection; the stage fails with the cause if it cannot be opened. */
  CompletionStage<C> connect();
}
