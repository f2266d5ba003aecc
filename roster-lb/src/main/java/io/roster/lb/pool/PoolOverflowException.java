package io.roster.lb.pool;

import io.roster.lb.NotSentException;

/**
 * Thrown (as the failure of an acquire) when the endpoint's pool already has its maximum of
 * connections in use and its maximum of requests waiting for one. The request fails at once rather
 * than queueing without bound (CONVENTIONS habit 9); it was never sent, so the retry layer may
 * requeue it on another endpoint. Not the endpoint's fault: it does not count toward the endpoint's
 * ejection.
 */
public final class PoolOverflowException extends NotSentException {
  private static final long serialVersionUID = 1L;

  /** For the endpoint at {@code endpoint} ({@code host:port}). */
  public PoolOverflowException(String endpoint, int maxPending) {
    super("pool for " + endpoint + " is full: " + maxPending + " requests already waiting", null);
  }

  @Override
  public boolean endpointAtFault() {
    return false;
  }
}
