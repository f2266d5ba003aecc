package io.roster.lb.balancer;

import io.roster.lb.Endpoint;
import io.roster.lb.NotSentException;
import io.roster.lb.ResponseClassifier;
import io.roster.lb.Service;
import io.roster.lb.Status;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A service that sends each request to an endpoint chosen by a {@link Balancer} and reports the
 * classified outcome back to it before the caller sees the reply, so that whatever the caller does
 * next (a retry, say) picks with up-to-date load and health.
 *
 * <p>Outcomes that say nothing about the endpoint — a cancelled attempt (a hedge that lost), or a
 * {@link NotSentException} that is not the endpoint's fault (its pool was full) — are {@link
 * Pick#abandon() abandoned} rather than counted, so a saturated client does not eject healthy
 * endpoints.
 */
final class BalancedService<Req, Rep> implements Service<Req, Rep> {
  private final Balancer balancer;
  private final Function<Endpoint, Service<Req, Rep>> endpoints;
  private final ResponseClassifier<Req, Rep> classifier;
  private final @Nullable Function<Req, Set<String>> tried;

  BalancedService(
      Balancer balancer,
      Function<Endpoint, Service<Req, Rep>> endpoints,
      ResponseClassifier<Req, Rep> classifier,
      @Nullable Function<Req, Set<String>> tried) {
    this.balancer = balancer;
    this.endpoints = endpoints;
    this.classifier = classifier;
    this.tried = tried;
  }

  @Override
  public CompletionStage<Rep> apply(Req request) {
    Set<String> avoid = tried == null ? Set.of() : tried.apply(request);
    Pick pick;
    try {
      pick = balancer.pick(avoid);
    } catch (NoEndpointsException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (tried != null) {
      avoid.add(pick.endpoint().address());
    }
    CompletionStage<Rep> reply;
    try {
      reply = endpoints.apply(pick.endpoint()).apply(request);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.whenComplete(
        (rep, failure) -> {
          Throwable cause = unwrap(failure);
          if (saysNothing(cause)) {
            pick.abandon();
          } else {
            pick.release(classifier.classify(request, rep, cause));
          }
        });
  }

  @Override
  public Status status() {
    return balancer.status();
  }

  private static boolean saysNothing(@Nullable Throwable cause) {
    return cause instanceof CancellationException
        || (cause instanceof NotSentException n && !n.endpointAtFault());
  }

  static @Nullable Throwable unwrap(@Nullable Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
