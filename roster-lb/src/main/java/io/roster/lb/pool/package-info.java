/**
 * Per-endpoint connection pools, independent of any protocol: a {@link
 * io.roster.lb.pool.ConnectionPool} over anything that is a {@link
 * io.roster.lb.pool.PooledConnection} and can be opened by a {@link io.roster.lb.pool.Connector}.
 * The HTTP/1.1 transport in {@code io.roster.lb.http} is its production user; tests drive it with
 * fake connections, a manual clock and a fake scheduler.
 *
 * <p>Failures before a request could be written are {@link io.roster.lb.NotSentException}s: {@link
 * io.roster.lb.pool.PoolOverflowException}, {@link io.roster.lb.pool.AcquireTimeoutException},
 * {@link io.roster.lb.pool.ConnectFailedException} and {@link
 * io.roster.lb.pool.PoolClosedException}.
 */
@NullMarked
package io.roster.lb.pool;

import org.jspecify.annotations.NullMarked;
