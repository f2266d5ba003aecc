package io.roster.lb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roster.lb.Endpoint;
import io.roster.lb.EndpointSource;
import io.roster.lb.balancer.Policy;
import io.roster.lb.http.ConnectionLostException;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpResponse;
import io.roster.lb.http.HttpTransport;
import io.roster.lb.http.Inbound;
import io.roster.lb.pool.AcquireTimeoutException;
import io.roster.lb.pool.PoolOverflowException;
import io.roster.lb.pool.PoolSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole client stack against real HTTP servers on 127.0.0.1. */
final class LbClientIT {
  private static HttpTransport transport;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void startTransport() {
    transport = HttpTransport.newBuilder().build();
  }

  @AfterAll
  static void stopTransport() {
    transport.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private TestBackend backend() throws Exception {
    TestBackend b = new TestBackend();
    closing.add(b);
    return b;
  }

  private LbClient.Builder client(Endpoint... endpoints) {
    return LbClient.newBuilder(EndpointSource.fixed(List.of(endpoints)))
        .transport(transport)
        .totalTimeout(Duration.ofSeconds(10))
        .pool(PoolSettings.defaults().withWarmUp(0));
  }

  private LbClient open(LbClient.Builder b) {
    LbClient c = b.build();
    closing.add(c);
    return c;
  }

  private static HttpResponse get(LbClient c, HttpRequest r) {
    return c.send(r).orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.orTimeout(30, TimeUnit.SECONDS).join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return java.util.Objects.requireNonNull(e.getCause());
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void send_healthyBackends_everyRequestAnsweredAndSpread() throws Exception {
    TestBackend a = backend();
    TestBackend b = backend();
    TestBackend c = backend();
    LbClient client = open(client(a.endpoint(), b.endpoint(), c.endpoint()));

    for (int i = 0; i < 60; i++) {
      HttpResponse r = get(client, HttpRequest.get("/x"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).startsWith("hello from ");
    }

    assertThat(a.requests() + b.requests() + c.requests()).isEqualTo(60);
    assertThat(List.of(a.requests(), b.requests(), c.requests())).allMatch(n -> n > 0);
    assertThat(a.seen).allMatch(s -> s.attempt().equals("1"));
    assertThat(a.seen)
        .allMatch(
            s -> Long.parseLong(s.timeoutMs()) > 0 && Long.parseLong(s.timeoutMs()) <= 10_000);
  }

  @Test
  void failingBackend_idempotentRetriedOnOtherEndpoint() throws Exception {
    TestBackend failing = backend();
    failing.status = 503;
    TestBackend ok = backend();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LbClient client =
        open(
            client(failing.endpoint(), ok.endpoint())
                .policy(Policy.ROUND_ROBIN)
                .name("it")
                .meterRegistry(registry));

    for (int i = 0; i < 20; i++) {
      assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);
    }

    assertThat(failing.requests()).isPositive();
    assertThat(failing.seen).allMatch(s -> s.attempt().equals("1"));
    assertThat(ok.seen).anyMatch(s -> s.attempt().equals("2"));
    assertThat(client.stats().retries()).isEqualTo(failing.requests());
    assertThat(registry.get("roster.lb.retries").tag("kind", "retry").functionCounter().count())
        .isEqualTo(failing.requests());
    double picks =
        registry.get("roster.lb.picks").counters().stream().mapToDouble(c -> c.count()).sum();
    assertThat(picks).isEqualTo(failing.requests() + ok.requests());
    assertThat(registry.get("roster.lb.retry.budget.balance").gauge().value()).isPositive();
    assertThat(
            registry
                .get("roster.lb.pool.connections")
                .tag("endpoint", ok.address())
                .tag("state", "open")
                .gauge()
                .value())
        .isPositive();
  }

  @Test
  void failingBackend_postNotRetried() throws Exception {
    TestBackend failing = backend();
    failing.status = 500;
    LbClient client =
        open(client(failing.endpoint(), backend().endpoint()).policy(Policy.ROUND_ROBIN));

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(get(client, HttpRequest.post("/x", new byte[] {1})).status());
    }

    assertThat(statuses).contains(500, 200);
    assertThat(client.stats().retries()).isZero();
    assertThat(failing.seen).allMatch(s -> s.method().equals("POST"));
  }

  @Test
  void refusingEndpoint_postRequeuedToLiveOne() throws Exception {
    TestBackend ok = backend();
    LbClient client =
        open(client(TestBackend.refusing(), ok.endpoint()).policy(Policy.ROUND_ROBIN));

    for (int i = 0; i < 6; i++) {
      assertThat(get(client, HttpRequest.post("/x", new byte[] {1})).status()).isEqualTo(200);
    }

    assertThat(ok.requests()).isEqualTo(6);
    assertThat(client.stats().requeues()).isPositive();
    assertThat(client.stats().retries()).isZero();
  }

  @Test
  void closedMidResponse_getRetried_postFails() throws Exception {
    TestBackend.Truncating cut = new TestBackend.Truncating();
    closing.add(cut);
    TestBackend ok = backend();
    LbClient client = open(client(cut.endpoint(), ok.endpoint()).policy(Policy.ROUND_ROBIN));

    assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);
    assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);
    List<Throwable> postFailures = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      CompletableFuture<HttpResponse> f = client.send(HttpRequest.post("/x", new byte[] {1}));
      try {
        f.orTimeout(30, TimeUnit.SECONDS).join();
      } catch (CompletionException e) {
        postFailures.add(e.getCause());
      }
    }

    assertThat(cut.requests.get()).isGreaterThanOrEqualTo(2);
    assertThat(postFailures).hasSize(1);
    assertThat(postFailures.get(0)).isInstanceOf(ConnectionLostException.class);
    assertThat(client.stats().retries()).isEqualTo(cut.requests.get() - 1);
  }

  @Test
  void slowBackend_perAttemptTimeout_retriedElsewhere() throws Exception {
    TestBackend slow = backend();
    slow.delayMillis = 3000;
    TestBackend ok = backend();
    LbClient client =
        open(
            client(slow.endpoint(), ok.endpoint())
                .policy(Policy.ROUND_ROBIN)
                .attemptTimeout(Duration.ofMillis(300)));

    assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);
    assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);

    assertThat(slow.requests()).isBetween(1, 2);
    assertThat(client.stats().retries()).isEqualTo(slow.requests());
  }

  @Test
  void retryAfter_beyondDeadline_noRetry() throws Exception {
    TestBackend busy = backend();
    busy.status = 503;
    busy.headers = Map.of("Retry-After", "30");
    TestBackend ok = backend();
    LbClient client =
        open(
            client(busy.endpoint(), ok.endpoint())
                .policy(Policy.ROUND_ROBIN)
                .totalTimeout(Duration.ofSeconds(5)));

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      statuses.add(get(client, HttpRequest.get("/x")).status());
    }

    assertThat(statuses).containsExactlyInAnyOrder(503, 200);
    assertThat(client.stats().retries()).isZero();
    assertThat(client.stats().refusedByDeadline()).isEqualTo(1);
  }

  @Test
  void retryAfter_withinDeadline_retriedNoSooner() throws Exception {
    TestBackend busy = backend();
    busy.status = 503;
    busy.headers = Map.of("Retry-After", "1");
    TestBackend ok = backend();
    LbClient client = open(client(busy.endpoint(), ok.endpoint()).policy(Policy.ROUND_ROBIN));

    assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);
    assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);

    TestBackend.Seen refused = busy.seen.get(0);
    TestBackend.Seen retried =
        ok.seen.stream().filter(s -> s.attempt().equals("2")).findFirst().orElseThrow();
    assertThat(retried.atNanos() - refused.atNanos()).isGreaterThanOrEqualTo(1_000_000_000L);
  }

  @Test
  void inboundRetry_callNotRetriedAgain() throws Exception {
    TestBackend failing = backend();
    failing.status = 503;
    TestBackend ok = backend();
    LbClient client = open(client(failing.endpoint(), ok.endpoint()).policy(Policy.ROUND_ROBIN));
    Inbound retried =
        Inbound.fromHeaders(
            Map.of("Roster-Attempt", "2", "Roster-Timeout-Ms", "5000"), System.nanoTime());

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      statuses.add(
          client
              .send(HttpRequest.get("/x"), retried)
              .orTimeout(30, TimeUnit.SECONDS)
              .join()
              .status());
    }

    assertThat(statuses).containsExactlyInAnyOrder(503, 200);
    assertThat(client.stats().retries()).isZero();
    assertThat(ok.seen).allMatch(s -> Long.parseLong(s.timeoutMs()) <= 5000);
  }

  @Test
  void overload_tenTimesPool_boundedQueueAndTypedOverflow() throws Exception {
    TestBackend slow = backend();
    slow.delayMillis = 200;
    LbClient client =
        open(
            client(slow.endpoint())
                .maxAttempts(1)
                .pool(
                    PoolSettings.defaults()
                        .withWarmUp(0)
                        .withMaxConnections(2)
                        .withMaxPending(4)
                        .withAcquireTimeout(Duration.ofSeconds(5))));

    List<CompletableFuture<HttpResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      calls.add(client.send(HttpRequest.get("/x")));
    }
    int ok = 0;
    int overflow = 0;
    for (CompletableFuture<HttpResponse> f : calls) {
      try {
        assertThat(f.orTimeout(30, TimeUnit.SECONDS).join().status()).isEqualTo(200);
        ok++;
      } catch (CompletionException e) {
        assertThat(e.getCause())
            .isInstanceOfAny(PoolOverflowException.class, AcquireTimeoutException.class);
        if (e.getCause() instanceof PoolOverflowException) {
          overflow++;
        }
      }
    }

    var pool = java.util.Objects.requireNonNull(client.endpoint(slow.address())).pool();
    assertThat(pool.pendingHighWater()).isLessThanOrEqualTo(4);
    assertThat(pool.open()).isLessThanOrEqualTo(2);
    assertThat(slow.maxConcurrent.get()).isLessThanOrEqualTo(2);
    assertThat(overflow).isGreaterThanOrEqualTo(60 - 2 - 4);
    assertThat(ok).isGreaterThanOrEqualTo(2).isEqualTo(slow.requests());
  }

  @Test
  void endpointRemoved_requestInFlightFinishes_newOnesGoElsewhere() throws Exception {
    TestBackend leaving = backend();
    leaving.delayMillis = 500;
    TestBackend staying = backend();
    MutableSource source = new MutableSource(List.of(leaving.endpoint()));
    LbClient client =
        open(
            LbClient.newBuilder(source)
                .transport(transport)
                .totalTimeout(Duration.ofSeconds(10))
                .pool(PoolSettings.defaults().withWarmUp(0)));

    CompletableFuture<HttpResponse> inFlight = client.send(HttpRequest.get("/slow"));
    await(() -> leaving.concurrent.get() == 1);
    source.set(List.of(staying.endpoint()));
    HttpResponse next = get(client, HttpRequest.get("/x"));

    assertThat(next.bodyText()).endsWith(Integer.toString(staying.endpoint().port()));
    assertThat(inFlight.orTimeout(30, TimeUnit.SECONDS).join().status()).isEqualTo(200);
    assertThat(client.endpoint(leaving.address())).isNull();
    assertThat(client.balancer().endpoints()).containsExactly(staying.endpoint());
  }

  @Test
  void hedging_slowEndpoint_backupWins() throws Exception {
    TestBackend slow = backend();
    slow.delayMillis = 2000;
    TestBackend fast1 = backend();
    TestBackend fast2 = backend();
    LbClient client =
        open(
            client(slow.endpoint(), fast1.endpoint(), fast2.endpoint())
                .policy(Policy.ROUND_ROBIN)
                .hedging(50, 4));

    for (int i = 0; i < 12; i++) {
      assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);
      Thread.sleep(120);
    }

    assertThat(client.stats().hedges()).isPositive();
    assertThat(client.stats().hedgesWon()).isPositive();
    assertThat(client.stats().retries()).isZero();
  }

  @Test
  void deadline_passes_failsWithDeadlineExceeded() throws Exception {
    TestBackend slow = backend();
    slow.delayMillis = 3000;
    LbClient client = open(client(slow.endpoint()).totalTimeout(Duration.ofMillis(300)));

    assertThat(failure(client.send(HttpRequest.get("/x"))))
        .isInstanceOf(io.roster.lb.http.DeadlineExceededException.class);
    assertThat(client.stats().deadlineExceeded()).isEqualTo(1);
  }

  @Test
  void metrics_poolWaitsRejectionsAndRemovedEndpoint() throws Exception {
    TestBackend slow = backend();
    slow.delayMillis = 200;
    TestBackend other = backend();
    MutableSource source = new MutableSource(List.of(slow.endpoint()));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LbClient client =
        open(
            LbClient.newBuilder(source)
                .transport(transport)
                .name("m")
                .meterRegistry(registry)
                .maxAttempts(1)
                .totalTimeout(Duration.ofSeconds(10))
                .pool(
                    PoolSettings.defaults()
                        .withWarmUp(0)
                        .withMaxConnections(1)
                        .withMaxPending(1)
                        .withAcquireTimeout(Duration.ofSeconds(5))));

    List<CompletableFuture<HttpResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(client.send(HttpRequest.get("/x")));
    }
    calls.forEach(f -> f.handle((r, e) -> null).orTimeout(30, TimeUnit.SECONDS).join());

    io.micrometer.core.instrument.Tags ep =
        io.micrometer.core.instrument.Tags.of("client", "m", "endpoint", slow.address());
    assertThat(
            registry
                .get("roster.lb.pool.rejected")
                .tags(ep)
                .tag("reason", "overflow")
                .counter()
                .count())
        .isEqualTo(3);
    assertThat(registry.get("roster.lb.pool.wait").tags(ep).timer().count()).isEqualTo(2);
    assertThat(registry.get("roster.lb.picks").tags(ep).counter().count()).isEqualTo(5);
    assertThat(registry.get("roster.lb.calls").functionCounter().count()).isEqualTo(5);
    await(() -> registry.get("roster.lb.inflight").tags(ep).gauge().value() == 0);
    assertThat(registry.get("roster.lb.ejected").gauge().value()).isZero();
    assertThat(
            registry
                .get("roster.lb.ejections")
                .tag("reason", "consecutive_failures")
                .functionCounter()
                .count())
        .isZero();

    source.set(List.of(other.endpoint()));

    assertThat(registry.find("roster.lb.picks").tags(ep).counter()).isNull();
    assertThat(registry.find("roster.lb.pool.pending").tags(ep).gauge()).isNull();
    assertThat(registry.find("roster.lb.pool.pending").tag("endpoint", other.address()).gauge())
        .isNotNull();
  }

  @Test
  void failingEndpoint_ejected_trafficMovesAway() throws Exception {
    TestBackend failing = backend();
    failing.status = 500;
    TestBackend a = backend();
    TestBackend b = backend();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LbClient client =
        open(
            client(failing.endpoint(), a.endpoint(), b.endpoint())
                .name("e")
                .meterRegistry(registry));

    // The error-aware cost sends the failing host less and less traffic, so how many calls it
    // takes to see its fifth consecutive failure varies: call until it is ejected (bounded).
    for (int i = 0; i < 2_000 && registry.get("roster.lb.ejected").gauge().value() < 1; i++) {
      assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);
    }
    assertThat(registry.get("roster.lb.ejected").gauge().value()).isEqualTo(1);
    int before = failing.requests();
    assertThat(before).isGreaterThanOrEqualTo(5);
    for (int i = 0; i < 100; i++) {
      assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);
    }

    assertThat(registry.get("roster.lb.ejected").gauge().value()).isEqualTo(1);
    assertThat(
            registry
                .get("roster.lb.ejections")
                .tag("reason", "consecutive_failures")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(failing.requests()).isEqualTo(before);
  }

  @Test
  void healthCheck_failingHealthPath_endpointAvoided() throws Exception {
    TestBackend sick = backend();
    TestBackend well = backend();
    sick.status = 503;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LbClient client =
        open(
            client(sick.endpoint(), well.endpoint())
                .policy(Policy.ROUND_ROBIN)
                .maxAttempts(1)
                .name("hc")
                .meterRegistry(registry)
                .healthCheck("/health", Duration.ofMillis(100)));

    await(() -> registry.get("roster.lb.unhealthy").gauge().value() == 1);
    int before = sick.requests();
    for (int i = 0; i < 20; i++) {
      assertThat(get(client, HttpRequest.get("/x")).status()).isEqualTo(200);
    }

    assertThat(sick.seen.subList(before, sick.seen.size()))
        .allMatch(s -> s.attempt().equals("null"));
  }

  @Test
  void noEndpoints_failsFast() {
    LbClient client =
        open(LbClient.newBuilder(EndpointSource.fixed(List.of())).transport(transport));

    assertThatThrownBy(() -> client.send(HttpRequest.get("/x")).join())
        .hasCauseInstanceOf(io.roster.lb.balancer.NoEndpointsException.class);
  }
}
