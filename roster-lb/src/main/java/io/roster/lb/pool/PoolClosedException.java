package io.roster.lb.pool;

import io.roster.lb.NotSentException;

/**
 * Thrown (as the failure of an acquire) when the endpoint's pool was closed (the endpoint left the
 * balancer, or the client shut down) while the request waited. The request was never sent. Not the
 * endpoint's fault: it does not count toward the endpoint's ejection.
 */
public final class PoolClosedException extends NotSentException {
  private static final long serialVersionUID = 1L;

  /** For the endpoint at {@code endpoint} ({@code host:port}). */
  public PoolClosedException(String endpoint) {
    super("pool for " + endpoint + " is closed", null);
  }

  @Override
  public boolean endpointAtFault() {
    return false;
  }
}
