package io.roster.lb;

import java.util.concurrent.CompletionStage;

/**
 * An asynchronous function from a request to a reply, and the unit everything in roster-lb
 * composes: a transport is a service, a balancer over endpoints is a service, and a {@link Filter}
 * turns one service into another.
 *
 * <p><b>Contract.</b> {@link #apply} must not block: it starts the work and returns a stage that
 * completes later, normally with the reply or exceptionally with the failure. It should not throw;
 * composition through {@link Filter#andThen(Service)} turns a thrown {@link RuntimeException} into
 * a failed stage anyway. Implementations must be safe to call from many threads at once.
 *
 * <p>{@link #status()} reports whether the service is worth sending to, so that health travels
 * upward through a stack as in Finagle: a balancer skips endpoints that are not {@link
 * Status#OPEN}.
 *
 * @param <Req> the request type
 * @param <Rep> the reply type
 */
@FunctionalInterface
public interface Service<Req, Rep> {

  /**
   * Starts handling {@code request}.
   *
   * @return a stage completed with the reply, or exceptionally with the failure; a failed stage
   *     does not say whether the remote side saw the request
   */
  CompletionStage<Rep> apply(Req request);

  /**
   * Whether this service is worth sending to now. Cheap and non-blocking; the default is {@link
   * Status#OPEN}.
   */
  default Status status() {
    return Status.OPEN;
  }
}
