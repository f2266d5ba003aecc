package io.roster.lb.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.Service;
import io.roster.lb.failure.EjectionReason;
import io.roster.lb.failure.Ejector;
import io.roster.testkit.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

final class BalancedServiceTest {
  private final ManualClock clock = new ManualClock(0);

  @Test
  void apply_sendsToPickedEndpoint() {
    Balancer b = Balancers.newBuilder().clock(clock).build(List.of(Endpoint.of("a", 1)));
    List<String> seen = new ArrayList<>();
    Service<String, String> s =
        Balancers.service(
            b,
            e ->
                r -> {
                  seen.add(e.host() + "/" + r);
                  return CompletableFuture.completedFuture("ok");
                },
            (req, rep, fail) -> ResponseClass.SUCCESS);

    assertThat(s.apply("x").toCompletableFuture().join()).isEqualTo("ok");
    assertThat(seen).containsExactly("a/x");
  }

  @Test
  void apply_emptyBalancer_failedStage() {
    Service<String, String> s =
        Balancers.service(
            Balancers.newBuilder().build(),
            e -> r -> CompletableFuture.completedFuture("ok"),
            (req, rep, fail) -> ResponseClass.SUCCESS);

    assertThat(s.apply("x").toCompletableFuture()).isCompletedExceptionally();
  }

  @Test
  void apply_failuresClassified_reachFailureDetector() {
    Ejector ejector = Ejector.newBuilder().clock(clock).random(new Random(1)).build();
    List<Endpoint> hosts = List.of(Endpoint.of("bad", 1), Endpoint.of("b", 1), Endpoint.of("c", 1));
    Balancer b =
        Balancers.newBuilder()
            .policy(Policy.ROUND_ROBIN)
            .clock(clock)
            .random(new Random(1))
            .failureDetector(ejector)
            .build(hosts);
    Service<String, Boolean> s =
        Balancers.service(
            b,
            e -> r -> completed(!e.host().equals("bad")),
            (req, ok, fail) ->
                Boolean.TRUE.equals(ok) ? ResponseClass.SUCCESS : ResponseClass.RETRYABLE_FAILURE);

    for (int i = 0; i < 30; i++) {
      s.apply("r");
    }

    assertThat(ejector.ejections(EjectionReason.CONSECUTIVE_FAILURES)).isEqualTo(1);
    assertThat(ejector.ejectedCount()).isEqualTo(1);
  }

  @Test
  void apply_endpointServiceThrows_releasedAsFailure() {
    Balancer b = Balancers.newBuilder().clock(clock).build(List.of(Endpoint.of("a", 1)));
    List<ResponseClass> seen = new ArrayList<>();
    Service<String, String> s =
        Balancers.service(
            b,
            e ->
                r -> {
                  throw new IllegalStateException("down");
                },
            (req, rep, fail) -> {
              ResponseClass c =
                  fail == null ? ResponseClass.SUCCESS : ResponseClass.NON_RETRYABLE_FAILURE;
              seen.add(c);
              return c;
            });

    assertThat(s.apply("x").toCompletableFuture()).isCompletedExceptionally();
    assertThat(seen).containsExactly(ResponseClass.NON_RETRYABLE_FAILURE);
  }

  private static CompletionStage<Boolean> completed(boolean ok) {
    return CompletableFuture.completedFuture(ok);
  }
}
