package io.roster.lb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.Endpoint;
import io.roster.lb.FakeScheduler;
import io.roster.lb.ResponseClass;
import io.roster.lb.Service;
import io.roster.lb.balancer.Balancer;
import io.roster.lb.balancer.Balancers;
import io.roster.lb.http.HttpClassifier;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpResponse;
import io.roster.lb.retry.Backoff;
import io.roster.lb.retry.RetryBudget;
import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The call filters over a real balancer with fake endpoints on a manual clock: retries and hedges
 * land on endpoints the call has not tried, and losers are forgotten.
 */
final class StackPiecesTest {
  private final ManualClock clock = new ManualClock(0);
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private final RetryBudget budget = RetryBudget.newBuilder().clock(clock).build();
  private final Map<String, List<CompletableFuture<HttpResponse>>> sent = new HashMap<>();
  private final List<String> order = new ArrayList<>();

  private Balancer balancer(int n) {
    return balancer(n, io.roster.lb.balancer.Policy.P2C_PEAK_EWMA);
  }

  private Balancer balancer(int n, io.roster.lb.balancer.Policy policy) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      endpoints.add(Endpoint.of("h" + i, 80));
    }
    return Balancers.newBuilder()
        .policy(policy)
        .clock(clock)
        .random(new Random(7))
        .build(endpoints);
  }

  /** Each endpoint answers when the test completes its future. */
  private Service<Attempt, HttpResponse> balanced(Balancer b) {
    return Balancers.service(
        b,
        e ->
            a -> {
              CompletableFuture<HttpResponse> f = new CompletableFuture<>();
              a.cancellation.onCancel(() -> f.cancel(false));
              sent.computeIfAbsent(e.host(), h -> new ArrayList<>()).add(f);
              order.add(e.host());
              return f;
            },
        (a, r, t) -> HttpClassifier.defaults().classify(a.call.request, r, t),
        a -> a.call.tried);
  }

  private List<CompletableFuture<HttpResponse>> futures(String host) {
    return java.util.Objects.requireNonNull(sent.get(host));
  }

  private static HttpResponse status(int s) {
    return new HttpResponse(s, Map.of(), new byte[0]);
  }

  private Call call() {
    return new Call(HttpRequest.get("/"), 0, Duration.ofSeconds(5).toNanos(), true);
  }

  @Test
  void retries_goToEndpointsNotTried() {
    SplittableRandom random = new SplittableRandom(1);
    CallRetryFilter retry =
        new CallRetryFilter(
            HttpClassifier.defaults(),
            budget,
            Backoff.none(),
            3,
            1.5,
            scheduler,
            clock,
            () -> 0L,
            () -> random);
    HedgeFilter single =
        new HedgeFilter(
            false,
            new LatencyWindow(clock, 30_000_000_000L, 6, 95),
            10,
            budget,
            3,
            HttpClassifier.defaults(),
            scheduler,
            clock);
    Service<Call, HttpResponse> stack = retry.andThen(single).andThen(balanced(balancer(3)));

    for (int trial = 0; trial < 50; trial++) {
      order.clear();
      sent.clear();
      CompletableFuture<HttpResponse> out = stack.apply(call()).toCompletableFuture();
      for (int attempt = 0; attempt < 3; attempt++) {
        scheduler.runDue();
        String host = order.get(order.size() - 1);
        List<CompletableFuture<HttpResponse>> fs = futures(host);
        fs.get(fs.size() - 1).complete(status(503));
      }
      scheduler.runDue();
      assertThat(out.join().status()).isEqualTo(503);
      assertThat(order).hasSize(3).doesNotHaveDuplicates();
    }
  }

  @Test
  void hedge_goesToAnotherEndpoint_andLoserIsForgotten() {
    LatencyWindow window = new LatencyWindow(clock, 30_000_000_000L, 6, 50);
    for (int i = 0; i < 20; i++) {
      window.record(5_000_000L);
    }
    clock.advance(Duration.ofSeconds(1));
    HedgeFilter hedge =
        new HedgeFilter(true, window, 10, budget, 3, HttpClassifier.defaults(), scheduler, clock);
    Balancer b = balancer(2, io.roster.lb.balancer.Policy.P2C_LEAST_LOADED);
    CompletableFuture<HttpResponse> out =
        hedge.andThen(balanced(b)).apply(call()).toCompletableFuture();

    scheduler.advance(Duration.ofMillis(6));
    assertThat(order).hasSize(2).doesNotHaveDuplicates();
    String loser = order.get(0);
    futures(order.get(1)).get(0).complete(status(200));

    assertThat(out.join().status()).isEqualTo(200);
    assertThat(futures(loser).get(0)).isCancelled();
    int[] counts = new int[2];
    for (int i = 0; i < 400; i++) {
      var p = b.pick();
      counts[p.endpoint().host().equals("h0") ? 0 : 1]++;
      p.release(ResponseClass.SUCCESS);
    }
    assertThat(counts[0]).isPositive();
    assertThat(counts[1]).isPositive();
  }

  @Test
  void cancellation_childFiresWithParent_notTheOtherWay() {
    Cancellation parent = new Cancellation();
    Cancellation a = parent.child();
    Cancellation b = parent.child();
    List<String> fired = new ArrayList<>();
    a.onCancel(() -> fired.add("a"));
    b.onCancel(() -> fired.add("b"));

    a.cancel();
    assertThat(parent.cancelled()).isFalse();
    assertThat(b.cancelled()).isFalse();
    parent.cancel();

    assertThat(b.cancelled()).isTrue();
    assertThat(fired).containsExactly("a", "b");
    Cancellation late = parent.child();
    assertThat(late.cancelled()).isTrue();
  }

  @Test
  void latencyWindow_oldSlicesDropOut() {
    LatencyWindow w = new LatencyWindow(clock, 30_000_000_000L, 6, 50);
    for (int i = 0; i < 10; i++) {
      w.record(100_000_000L);
    }
    clock.advance(Duration.ofSeconds(20));
    for (int i = 0; i < 30; i++) {
      w.record(1_000_000L);
    }
    clock.advance(Duration.ofMillis(200));
    assertThat(w.count()).isEqualTo(40);
    assertThat(w.percentileNanos()).isBetween(900_000L, 1_100_000L);

    clock.advance(Duration.ofSeconds(15));

    assertThat(w.count()).isEqualTo(30);
  }
}
