package io.roster.lb.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.Service;
import io.roster.lb.failure.Ejector;
import io.roster.lb.pool.ConnectFailedException;
import io.roster.lb.pool.PoolOverflowException;
import io.roster.testkit.ManualClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The balanced service with a per-request tried set, and what it forgets instead of counting. */
final class TriedAndAbandonTest {
  private final ManualClock clock = new ManualClock(0);

  /** A request carrying the addresses its attempts went to. */
  private record Req(Set<String> tried) {
    Req() {
      this(ConcurrentHashMap.newKeySet());
    }
  }

  private static List<Endpoint> hosts(int n) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Endpoint.of("h" + i, 1));
    }
    return out;
  }

  private Ejector ejector() {
    return Ejector.newBuilder().clock(clock).random(new Random(1)).consecutiveFailures(1).build();
  }

  private Service<Req, String> service(Balancer b, RuntimeException failure) {
    return Balancers.service(
        b,
        e -> r -> CompletableFuture.<String>failedFuture(failure),
        (req, rep, fail) -> fail == null ? ResponseClass.SUCCESS : ResponseClass.RETRYABLE_FAILURE,
        Req::tried);
  }

  @Test
  void attempts_ofOneRequest_landOnDistinctEndpoints() {
    Balancer b = Balancers.newBuilder().clock(clock).random(new Random(5)).build(hosts(5));
    List<String> hit = new ArrayList<>();
    Service<Req, String> s =
        Balancers.service(
            b,
            e ->
                r -> {
                  hit.add(e.address());
                  return CompletableFuture.completedFuture("ok");
                },
            (req, rep, fail) -> ResponseClass.SUCCESS,
            Req::tried);

    for (int trial = 0; trial < 200; trial++) {
      Req r = new Req();
      hit.clear();
      for (int attempt = 0; attempt < 3; attempt++) {
        s.apply(r).toCompletableFuture().join();
      }
      assertThat(hit).doesNotHaveDuplicates();
      assertThat(r.tried()).containsExactlyInAnyOrderElementsOf(hit);
    }
  }

  @Test
  void poolOverflow_notCountedAgainstEndpoint() {
    Ejector ejector = ejector();
    Balancer b = Balancers.newBuilder().clock(clock).failureDetector(ejector).build(hosts(5));
    Service<Req, String> s = service(b, new PoolOverflowException("h:1", 4));

    for (int i = 0; i < 20; i++) {
      assertThat(s.apply(new Req()).toCompletableFuture()).isCompletedExceptionally();
    }

    assertThat(ejector.ejectedCount()).isZero();
  }

  @Test
  void connectFailure_countedAgainstEndpoint() {
    Ejector ejector = ejector();
    Balancer b = Balancers.newBuilder().clock(clock).failureDetector(ejector).build(hosts(5));
    Service<Req, String> s =
        service(b, new ConnectFailedException("h:1", new IOException("refused")));

    s.apply(new Req());

    assertThat(ejector.ejectedCount()).isEqualTo(1);
  }

  @Test
  void cancelled_notCountedAgainstEndpoint() {
    Ejector ejector = ejector();
    Balancer b = Balancers.newBuilder().clock(clock).failureDetector(ejector).build(hosts(5));

    for (int i = 0; i < 10; i++) {
      service(b, new CancellationException("hedge lost")).apply(new Req());
    }

    assertThat(ejector.ejectedCount()).isZero();
  }

  @Test
  void abandoned_inFlightReleased_soLeastLoadedSeesNoPhantomLoad() {
    Balancer b =
        Balancers.newBuilder()
            .policy(Policy.P2C_LEAST_LOADED)
            .clock(clock)
            .random(new Random(9))
            .build(hosts(2));
    Service<Req, String> s = service(b, new PoolOverflowException("h:1", 4));
    for (int i = 0; i < 100; i++) {
      s.apply(new Req());
    }

    int[] counts = new int[2];
    for (int i = 0; i < 1000; i++) {
      Pick p = b.pick();
      counts[p.endpoint().host().equals("h0") ? 0 : 1]++;
      p.release(ResponseClass.SUCCESS);
    }

    assertThat(counts[0]).isBetween(350, 650);
  }
}
