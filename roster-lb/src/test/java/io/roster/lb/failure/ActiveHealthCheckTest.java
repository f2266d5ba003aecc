package io.roster.lb.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.lb.Endpoint;
import io.roster.lb.FakeScheduler;
import io.roster.lb.ResponseClass;
import io.roster.lb.Status;
import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

final class ActiveHealthCheckTest {
  private final ManualClock clock = new ManualClock(0);
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private final Map<String, Boolean> healthy = new HashMap<>();
  private final Map<String, Integer> probes = new HashMap<>();

  private ActiveHealthCheck check(FailureDetector passive) {
    return ActiveHealthCheck.newBuilder(
            passive,
            e -> {
              probes.merge(e.host(), 1, Integer::sum);
              Boolean ok = healthy.get(e.host());
              return ok == null
                  ? CompletableFuture.failedFuture(new IllegalStateException("no answer"))
                  : CompletableFuture.completedFuture(ok);
            },
            scheduler)
        .interval(Duration.ofSeconds(10))
        .random(new Random(4))
        .build();
  }

  @Test
  void newEndpoint_openBeforeAnyProbe() {
    ActiveHealthCheck c = check(FailureDetector.none());

    assertThat(c.track(Endpoint.of("a", 1)).status()).isEqualTo(Status.OPEN);
  }

  @Test
  void twoFailedProbes_markUnhealthy_twoGoodOnes_healthyAgain() {
    ActiveHealthCheck c = check(FailureDetector.none());
    healthy.put("a", false);
    EndpointHealth h = c.track(Endpoint.of("a", 1));

    scheduler.advance(Duration.ofSeconds(10));
    assertThat(probes.get("a")).isEqualTo(1);
    assertThat(h.status()).isEqualTo(Status.OPEN);
    scheduler.advance(Duration.ofSeconds(11));
    assertThat(h.status()).isEqualTo(Status.BUSY);
    assertThat(c.unhealthyCount()).isEqualTo(1);
    assertThat(c.ejectedShare()).isEqualTo(1.0);

    healthy.put("a", true);
    scheduler.advance(Duration.ofSeconds(11));
    assertThat(h.status()).isEqualTo(Status.BUSY);
    scheduler.advance(Duration.ofSeconds(11));
    assertThat(h.status()).isEqualTo(Status.OPEN);
  }

  @Test
  void failedProbeStage_countsAsUnhealthy() {
    ActiveHealthCheck c = check(FailureDetector.none());
    EndpointHealth h = c.track(Endpoint.of("silent", 1));

    scheduler.advance(Duration.ofSeconds(25));

    assertThat(h.status()).isEqualTo(Status.BUSY);
  }

  @Test
  void probes_jitteredAroundInterval() {
    ActiveHealthCheck c = check(FailureDetector.none());
    healthy.put("a", true);
    c.track(Endpoint.of("a", 1));

    scheduler.advance(Duration.ofSeconds(100));

    assertThat(probes.get("a")).isBetween(9, 11);
  }

  @Test
  void untrack_stopsProbing() {
    ActiveHealthCheck c = check(FailureDetector.none());
    healthy.put("a", true);
    EndpointHealth h = c.track(Endpoint.of("a", 1));
    scheduler.advance(Duration.ofSeconds(30));
    int before = probes.getOrDefault("a", 0);

    c.untrack(h);
    scheduler.advance(Duration.ofSeconds(60));

    assertThat(probes.get("a")).isEqualTo(before);
    assertThat(c.ejectedShare()).isZero();
  }

  @Test
  void passiveEjection_stillApplies() {
    Ejector ejector =
        Ejector.newBuilder().clock(clock).random(new Random(1)).consecutiveFailures(1).build();
    ActiveHealthCheck c = check(ejector);
    healthy.put("a", true);
    EndpointHealth h = c.track(Endpoint.of("a", 1));
    c.track(Endpoint.of("b", 1));
    c.track(Endpoint.of("c", 1));

    h.onStart();
    h.onResponse(1, ResponseClass.RETRYABLE_FAILURE);

    assertThat(h.status()).isEqualTo(Status.BUSY);
    assertThat(c.ejectedShare()).isGreaterThan(0);
    assertThat(c.unhealthyCount()).isZero();
  }

  @Test
  void builder_rejectsBadSettings() {
    assertThatThrownBy(
            () ->
                ActiveHealthCheck.newBuilder(
                        FailureDetector.none(),
                        e -> CompletableFuture.completedFuture(true),
                        scheduler)
                    .interval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ActiveHealthCheck.newBuilder(
                        FailureDetector.none(),
                        e -> CompletableFuture.completedFuture(true),
                        scheduler)
                    .thresholds(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
