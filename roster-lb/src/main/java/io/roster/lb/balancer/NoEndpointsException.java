package io.roster.lb.balancer;

/**
 * A {@link Balancer} was asked to pick but holds no endpoints. Unchecked; never retryable on the
 * same balancer until its endpoint source publishes a non-empty list.
 */
public final class NoEndpointsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the balancer's policy. */
  public NoEndpointsException(String message) {
    super(message);
  }
}
