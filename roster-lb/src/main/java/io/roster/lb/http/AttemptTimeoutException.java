package io.roster.lb.http;

import java.time.Duration;

/**
 * One attempt got no complete response within its per-attempt timeout. The request may have been
 * processed; the connection was closed. Retryable only if the request is idempotent.
 */
public final class AttemptTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** For an attempt on {@code endpoint} ({@code host:port}) that ran out of {@code timeout}. */
  public AttemptTimeoutException(String endpoint, Duration timeout) {
    super("no response from " + endpoint + " within " + timeout.toMillis() + " ms");
  }
}
