package io.roster.lb.failure;

import io.roster.lb.ResponseClass;
import io.roster.lb.Status;

/**
 * One endpoint as a {@link FailureDetector} sees it. The balancer reads {@link #status()} when it
 * picks, calls {@link #onStart()} when it sends a request there, and {@link #onResponse} (or {@link
 * #onAbandon}) when the request ends.
 *
 * <p>Thread-safe. {@link #status()} is lock-free; the other methods may take a short,
 * never-blocking lock.
 */
public interface EndpointHealth {

  /**
   * {@link Status#OPEN} when the endpoint may take requests, including the moment its ejection has
   * run out and it may take one probe; {@link Status#BUSY} while ejected or while its probe is in
   * flight.
   */
  Status status();

  /** A request is being sent to this endpoint; if its ejection has run out, this is the probe. */
  void onStart();

  /** A request sent to this endpoint ended after {@code rttNanos} with {@code outcome}. */
  void onResponse(long rttNanos, ResponseClass outcome);

  /**
   * A request started with {@link #onStart()} ended without saying anything about the endpoint
   * (cancelled, or rejected locally before it was sent). A probe abandoned this way is not counted;
   * the next request may probe again. The default does nothing.
   */
  default void onAbandon() {}
}
