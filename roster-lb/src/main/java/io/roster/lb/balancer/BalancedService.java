package io.roster.lb.balancer;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClassifier;
import io.roster.lb.Service;
import io.roster.lb.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A service that sends each request to an endpoint chosen by a {@link Balancer} and reports the
 * classified outcome back to it before the caller sees the reply, so that whatever the caller does
 * next (a retry, say) picks with up-to-date load and health.
 */
final class BalancedService<Req, Rep> implements Service<Req, Rep> {
  private final Balancer balancer;
  private final Function<Endpoint, Service<Req, Rep>> endpoints;
  private final ResponseClassifier<Req, Rep> classifier;

  BalancedService(
      Balancer balancer,
      Function<Endpoint, Service<Req, Rep>> endpoints,
      ResponseClassifier<Req, Rep> classifier) {
    this.balancer = balancer;
    this.endpoints = endpoints;
    this.classifier = classifier;
  }

  @Override
  public CompletionStage<Rep> apply(Req request) {
    Pick pick;
    try {
      pick = balancer.pick();
    } catch (NoEndpointsException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletionStage<Rep> reply;
    try {
      reply = endpoints.apply(pick.endpoint()).apply(request);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.whenComplete(
        (rep, failure) -> pick.release(classifier.classify(request, rep, unwrap(failure))));
  }

  @Override
  public Status status() {
    return balancer.status();
  }

  static @org.jspecify.annotations.Nullable Throwable unwrap(
      @org.jspecify.annotations.Nullable Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
