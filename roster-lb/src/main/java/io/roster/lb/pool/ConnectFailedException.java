package io.roster.lb.pool;

import io.roster.lb.NotSentException;

/**
 * Thrown (as the failure of an acquire) when a new connection to the endpoint could not be opened:
 * refused, unreachable, or timed out while connecting. Nothing was sent, so the request may be
 * requeued on another endpoint; the failure is the endpoint's and counts toward its ejection.
 */
public final class ConnectFailedException extends NotSentException {
  private static final long serialVersionUID = 1L;

  /** For the endpoint at {@code endpoint} ({@code host:port}), with the transport's cause. */
  public ConnectFailedException(String endpoint, Throwable cause) {
    super("cannot connect to " + endpoint + ": " + cause, cause);
  }

  @Override
  public boolean endpointAtFault() {
    return true;
  }
}
