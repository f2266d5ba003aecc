package io.roster.lb.pool;

import io.roster.lb.NotSentException;

/**
 * Thrown (as the failure of an acquire) when no connection to the endpoint became free (or could be
 * opened) within the acquire timeout. The request was never sent. Not the endpoint's fault: it does
 * not count toward the endpoint's ejection.
 */
public final class AcquireTimeoutException extends NotSentException {
  private static final long serialVersionUID = 1L;

  /** For the endpoint at {@code endpoint} ({@code host:port}). */
  public AcquireTimeoutException(String endpoint, java.time.Duration timeout) {
    super("no connection to " + endpoint + " within " + timeout.toMillis() + " ms", null);
  }

  @Override
  public boolean endpointAtFault() {
    return false;
  }
}
