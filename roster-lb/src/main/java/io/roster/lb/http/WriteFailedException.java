package io.roster.lb.http;

import io.roster.lb.NotSentException;

/**
 * The request could not be written on a pooled connection, typically because the server closed the
 * idle connection just as it was reused. The server never got a whole request, so it is requeued
 * like any {@link NotSentException}; counts toward the endpoint's ejection.
 */
public final class WriteFailedException extends NotSentException {
  private static final long serialVersionUID = 1L;

  /** For {@code endpoint} ({@code host:port}), with the transport's cause. */
  public WriteFailedException(String endpoint, Throwable cause) {
    super("cannot write to " + endpoint + ": " + cause, cause);
  }

  @Override
  public boolean endpointAtFault() {
    return true;
  }
}
