package io.roster.lb.http;

import org.jspecify.annotations.Nullable;

/**
 * The connection closed or broke after the request was written and before the whole response
 * arrived (a server that crashed or closed mid-response, a truncated body, a malformed response).
 * The request may have been processed. Retryable only if the request is idempotent.
 */
public final class ConnectionLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the endpoint and an optional cause. */
  public ConnectionLostException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
