package io.roster.lb;

/**
 * A request failed before any of it reached the remote side: the connection could not be opened,
 * the endpoint's pool was full, or no connection became free in time. Sending such a request again,
 * to another endpoint, is always safe whatever its method, which is why the retry layer requeues it
 * without asking the classifier about idempotency (Finagle's {@code RequeueFilter}). Requeues still
 * draw on the retry budget.
 *
 * <p>{@link #endpointAtFault()} separates local-origin rejections (a full pool says nothing about
 * the endpoint's health, so the balancer forgets the attempt) from failures that are the endpoint's
 * (a refused connection counts toward its ejection).
 */
public abstract class NotSentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message and an optional cause. */
  protected NotSentException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
  }

  /** Whether the failure says something about the endpoint (and should count toward ejection). */
  public abstract boolean endpointAtFault();
}
