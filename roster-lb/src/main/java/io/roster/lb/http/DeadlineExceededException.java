package io.roster.lb.http;

import java.time.Duration;

/**
 * A logical request's total deadline passed before it got an answer, retries and hedges included;
 * every attempt still in flight was cancelled. Also thrown at once for a request whose inherited
 * deadline (see {@link Inbound}) had already passed. Never retried.
 */
public final class DeadlineExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** After {@code budget}, the total time the request had. */
  public DeadlineExceededException(Duration budget) {
    super("deadline of " + budget.toMillis() + " ms exceeded");
  }
}
