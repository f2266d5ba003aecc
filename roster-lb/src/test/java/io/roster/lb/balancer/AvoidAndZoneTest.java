package io.roster.lb.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.Status;
import io.roster.lb.failure.Ejector;
import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Avoiding a retry's earlier endpoints, abandoning picks, and zone preference with failover. */
final class AvoidAndZoneTest {
  private final ManualClock clock = new ManualClock(0);

  private static List<Endpoint> hosts(int n, String zone) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Endpoint(zone + "-h" + i, 80, 1.0, zone));
    }
    return out;
  }

  @Test
  void pickAvoid_p2c_neverReturnsAvoidedWhenOthersExist() {
    Balancer b = Balancers.newBuilder().clock(clock).random(new Random(1)).build(hosts(10, "a"));
    Set<String> avoid = Set.of("a-h0:80", "a-h1:80");

    for (int i = 0; i < 2000; i++) {
      Pick p = b.pick(avoid);
      assertThat(avoid).doesNotContain(p.endpoint().address());
      p.release(ResponseClass.SUCCESS);
    }
  }

  @Test
  void pickAvoid_roundRobin_skipsAvoided() {
    Balancer b =
        Balancers.newBuilder()
            .policy(Policy.ROUND_ROBIN)
            .clock(clock)
            .random(new Random(1))
            .build(hosts(3, "a"));

    for (int i = 0; i < 30; i++) {
      Pick p = b.pick(Set.of("a-h1:80"));
      assertThat(p.endpoint().address()).isNotEqualTo("a-h1:80");
      p.release(ResponseClass.SUCCESS);
    }
  }

  @Test
  void pickAvoid_allAvoided_stillPicks() {
    Balancer b = Balancers.newBuilder().clock(clock).build(hosts(1, "a"));

    assertThat(b.pick(Set.of("a-h0:80")).endpoint().address()).isEqualTo("a-h0:80");
  }

  @Test
  void abandon_dropsInFlightWithoutLearning() {
    Balancer b =
        Balancers.newBuilder()
            .policy(Policy.P2C_LEAST_LOADED)
            .clock(clock)
            .random(new Random(1))
            .build(hosts(2, "a"));
    List<Pick> held = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      held.add(b.pick());
    }
    held.forEach(Pick::abandon);
    held.forEach(p -> p.release(ResponseClass.NON_RETRYABLE_FAILURE));

    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      Pick p = b.pick();
      counts.merge(p.endpoint().host(), 1, Integer::sum);
      p.release(ResponseClass.SUCCESS);
    }
    assertThat(counts.values()).allMatch(n -> n > 300);
  }

  @Test
  void abandonedProbe_canProbeAgain() {
    Ejector ejector =
        Ejector.newBuilder()
            .clock(clock)
            .random(new Random(1))
            .consecutiveFailures(1)
            .ejectionTime(Duration.ofSeconds(1), Duration.ofSeconds(1), 0)
            .build();
    Endpoint e = Endpoint.of("h", 1);
    var health = ejector.track(e);
    for (int i = 0; i < 3; i++) {
      ejector.track(Endpoint.of("other" + i, 1));
    }
    health.onStart();
    health.onResponse(1, ResponseClass.NON_RETRYABLE_FAILURE);
    assertThat(health.status()).isEqualTo(Status.BUSY);
    clock.advance(Duration.ofSeconds(2));
    health.onStart();
    assertThat(health.status()).isEqualTo(Status.BUSY);

    health.onAbandon();

    assertThat(health.status()).isEqualTo(Status.OPEN);
    health.onStart();
    health.onResponse(1, ResponseClass.SUCCESS);
    assertThat(health.status()).isEqualTo(Status.OPEN);
    assertThat(ejector.ejectedCount()).isZero();
  }

  private Balancer zoned() {
    List<Endpoint> all = new ArrayList<>(hosts(3, "a"));
    all.addAll(hosts(3, "b"));
    return Balancers.newBuilder().clock(clock).random(new Random(2)).localZone("a").build(all);
  }

  private static String zoneOf(Pick p) {
    return String.valueOf(p.endpoint().zone());
  }

  @Test
  void zone_healthyLocal_allTrafficStaysLocal() {
    Balancer b = zoned();

    for (int i = 0; i < 500; i++) {
      Pick p = b.pick();
      assertThat(zoneOf(p)).isEqualTo("a");
      p.release(ResponseClass.SUCCESS);
    }
    assertThat(b.endpoints()).hasSize(6);
  }

  @Test
  void zone_localFailing_failsOverThenProbesBack() {
    Balancer b = zoned();
    Set<String> zones = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      Pick p = b.pick();
      zones.add(zoneOf(p));
      p.release(zoneOf(p).equals("a") ? ResponseClass.RETRYABLE_FAILURE : ResponseClass.SUCCESS);
    }
    assertThat(zones).contains("a", "b");
    Pick during = b.pick();
    assertThat(zoneOf(during)).isEqualTo("b");
    during.release(ResponseClass.SUCCESS);

    clock.advance(Duration.ofSeconds(60));
    Pick after = b.pick();

    assertThat(zoneOf(after)).isEqualTo("a");
  }

  @Test
  void zone_failover_holdsForFiveSeconds_thenProbesAfresh() {
    Balancer b = zoned();
    for (int i = 0; i < 20; i++) {
      Pick p = b.pick();
      p.release(zoneOf(p).equals("a") ? ResponseClass.RETRYABLE_FAILURE : ResponseClass.SUCCESS);
    }

    clock.advance(Duration.ofSeconds(4));
    Pick held = b.pick();
    held.release(ResponseClass.SUCCESS);
    clock.advance(Duration.ofSeconds(2));
    Pick probe = b.pick();

    assertThat(zoneOf(held)).isEqualTo("b");
    assertThat(zoneOf(probe)).isEqualTo("a");
  }

  @Test
  void zone_oneBadHostAmongFour_noFailover() {
    List<Endpoint> all = new ArrayList<>(hosts(4, "a"));
    all.addAll(hosts(4, "b"));
    Balancer b =
        Balancers.newBuilder()
            .policy(Policy.ROUND_ROBIN)
            .clock(clock)
            .random(new Random(3))
            .localZone("a")
            .build(all);

    for (int i = 0; i < 400; i++) {
      Pick p = b.pick();
      assertThat(zoneOf(p)).isEqualTo("a");
      p.release(
          p.endpoint().host().equals("a-h0")
              ? ResponseClass.RETRYABLE_FAILURE
              : ResponseClass.SUCCESS);
    }
  }

  @Test
  void zone_localEjected_failsOver() {
    Ejector ejector =
        Ejector.newBuilder()
            .clock(clock)
            .random(new Random(1))
            .consecutiveFailures(1)
            .maxEjectedShare(0.5)
            .build();
    List<Endpoint> all = new ArrayList<>(hosts(2, "a"));
    all.addAll(hosts(4, "b"));
    Balancer b =
        Balancers.newBuilder()
            .policy(Policy.ROUND_ROBIN)
            .clock(clock)
            .random(new Random(1))
            .failureDetector(ejector)
            .localZone("a")
            .build(all);
    Pick first = b.pick();
    assertThat(zoneOf(first)).isEqualTo("a");
    first.release(ResponseClass.RETRYABLE_FAILURE);
    Pick second = b.pick();
    assertThat(zoneOf(second)).isEqualTo("a");
    assertThat(second.endpoint()).isNotEqualTo(first.endpoint());

    second.release(ResponseClass.RETRYABLE_FAILURE);

    assertThat(ejector.ejectedCount()).isEqualTo(2);
    assertThat(zoneOf(b.pick())).isEqualTo("b");
  }

  @Test
  void zone_update_movesEndpointsBetweenZones() {
    Balancer b = zoned();
    List<Endpoint> moved = new ArrayList<>(hosts(3, "b"));

    b.update(moved);

    assertThat(zoneOf(b.pick())).isEqualTo("b");
    assertThat(b.endpoints()).hasSize(3);
    assertThat(b.status()).isEqualTo(Status.OPEN);
  }

  @Test
  void zone_allLocalTried_retryGoesRemote() {
    Balancer b = zoned();

    Pick p = b.pick(Set.of("a-h0:80", "a-h1:80", "a-h2:80"));

    assertThat(zoneOf(p)).isEqualTo("b");
  }

  @Test
  void zone_noLocalEndpoints_usesOthers() {
    Balancer b = Balancers.newBuilder().clock(clock).localZone("z").build(hosts(2, "b"));

    assertThat(zoneOf(b.pick())).isEqualTo("b");
  }
}
