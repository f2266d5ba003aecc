package io.roster.lb;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Wraps a {@link Service}: it sees each request on the way down and each reply on the way up, and
 * may change both their types. Retries, timeouts and statistics are filters.
 *
 * <p>Filters compose with {@link #andThen(Filter)} into bigger filters and end in a service with
 * {@link #andThen(Service)}; {@code a.andThen(b).andThen(service)} runs {@code a} first. The
 * resulting service catches a {@link RuntimeException} thrown by a filter or by the service below
 * it and returns it as a failed stage, so callers handle one failure channel.
 *
 * <p>Implementations must be thread-safe and must not block in {@link #apply}.
 *
 * @param <ReqIn> the request this filter accepts
 * @param <RepOut> the reply this filter returns
 * @param <ReqOut> the request it passes to the service below
 * @param <RepIn> the reply the service below returns
 */
@FunctionalInterface
public interface Filter<ReqIn, RepOut, ReqOut, RepIn> {

  /** Handles {@code request}, usually by calling {@code next} zero or more times. */
  CompletionStage<RepOut> apply(ReqIn request, Service<ReqOut, RepIn> next);

  /** This filter followed by {@code next}: requests pass through this one first. */
  default <Req2, Rep2> Filter<ReqIn, RepOut, Req2, Rep2> andThen(
      Filter<ReqOut, RepIn, Req2, Rep2> next) {
    return (request, service) -> apply(request, next.andThen(service));
  }

  /**
   * This filter in front of {@code service}. The result reports {@code service}'s {@link
   * Service#status()} and turns thrown runtime exceptions into failed stages.
   */
  default Service<ReqIn, RepOut> andThen(Service<ReqOut, RepIn> service) {
    Filter<ReqIn, RepOut, ReqOut, RepIn> self = this;
    Service<ReqOut, RepIn> guarded = Filter.<ReqOut, RepIn>guard(service);
    return new Service<>() {
      @Override
      public CompletionStage<RepOut> apply(ReqIn request) {
        try {
          return self.apply(request, guarded);
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }

      @Override
      public Status status() {
        return service.status();
      }
    };
  }

  /** A filter that passes every request straight through. */
  static <Req, Rep> Filter<Req, Rep, Req, Rep> identity() {
    return (request, service) -> service.apply(request);
  }

  private static <Req, Rep> Service<Req, Rep> guard(Service<Req, Rep> service) {
    return new Service<>() {
      @Override
      public CompletionStage<Rep> apply(Req request) {
        try {
          return service.apply(request);
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }

      @Override
      public Status status() {
        return service.status();
      }
    };
  }
}
