package io.roster.client;

/**
 * No usable answer: every endpoint tried was unreachable, timed out, or answered with something
 * that is not the etcd v2 API. For reads and watches nothing happened on the server. For writes
 * this type itself is only thrown when the request was certainly not applied (it was never sent, or
 * the server rejected it before applying); a write that may have been applied is reported as the
 * subtype {@link OutcomeUnknownException}. Immutable.
 */
public class RosterTransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with a message naming the endpoint and what went wrong. */
  public RosterTransportException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure without an underlying exception (e.g. a malformed answer). */
  public RosterTransportException(String message) {
    super(message);
  }
}
