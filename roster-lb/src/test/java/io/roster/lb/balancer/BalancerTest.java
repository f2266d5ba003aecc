package io.roster.lb.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.Status;
import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class BalancerTest {
  private final ManualClock clock = new ManualClock(0);
  private final FailureDetectors.Fake detector = new FailureDetectors.Fake();

  private static List<Endpoint> hosts(int n) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Endpoint.of("h" + i, 80));
    }
    return out;
  }

  private Balancers.Builder builder(Policy policy) {
    return Balancers.newBuilder()
        .policy(policy)
        .clock(clock)
        .random(new Random(12345))
        .failureDetector(detector);
  }

  private static Map<String, Integer> picks(Balancer b, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Pick p = b.pick();
      counts.merge(p.endpoint().host(), 1, Integer::sum);
      p.release(ResponseClass.SUCCESS);
    }
    return counts;
  }

  @Test
  void pick_empty_throwsNoEndpoints() {
    Balancer b = builder(Policy.P2C_PEAK_EWMA).build();

    assertThatThrownBy(b::pick).isInstanceOf(NoEndpointsException.class);
    assertThat(b.status()).isEqualTo(Status.CLOSED);
  }

  @Test
  void pick_everyPolicy_returnsHeldEndpoint() {
    for (Policy policy : Policy.values()) {
      Balancer b = builder(policy).build(hosts(3));

      assertThat(picks(b, 300)).containsOnlyKeys("h0", "h1", "h2");
      assertThat(b.status()).isEqualTo(Status.OPEN);
    }
  }

  @Test
  void pick_unhealthyEndpoint_avoidedByRepicks() {
    detector.statuses.put("h0", Status.BUSY);
    for (Policy policy : Policy.values()) {
      Balancer b = builder(policy).build(hosts(4));

      assertThat(picks(b, 1000)).doesNotContainKey("h0");
    }
  }

  @Test
  void pick_panic_spreadsOverAll() {
    for (int i = 0; i < 3; i++) {
      detector.statuses.put("h" + i, Status.BUSY);
    }
    Balancer b = builder(Policy.ROUND_ROBIN).build(hosts(4));

    assertThat(picks(b, 400)).containsOnlyKeys("h0", "h1", "h2", "h3");
  }

  @Test
  void pick_maxEffortZero_sendsToUnhealthy() {
    detector.statuses.put("h0", Status.BUSY);
    Balancer b = builder(Policy.ROUND_ROBIN).maxEffort(0).build(hosts(2));

    assertThat(picks(b, 10)).containsKey("h0");
  }

  @Test
  void update_keepsExistingState_tracksOnlyNew() {
    Balancer b = builder(Policy.P2C_LEAST_LOADED).build(hosts(2));
    Pick inFlight = b.pick();

    b.update(hosts(3));

    assertThat(detector.tracked).isEqualTo(3);
    assertThat(b.endpoints()).extracting(Endpoint::host).containsExactly("h0", "h1", "h2");
    String busy = inFlight.endpoint().host();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      Pick p = b.pick();
      counts.merge(p.endpoint().host(), 1, Integer::sum);
    }
    assertThat(counts.getOrDefault(busy, 0)).isLessThan(counts.getOrDefault("h2", 0) + 10);
  }

  @Test
  void update_removesEndpoint_inFlightReleasesSafely() {
    Balancer b = builder(Policy.ROUND_ROBIN).build(hosts(1));
    Pick p = b.pick();

    b.update(List.of(Endpoint.of("other", 80)));
    p.release(ResponseClass.SUCCESS);

    assertThat(detector.untracked).containsEntry("h0", 1);
    assertThat(b.pick().endpoint().host()).isEqualTo("other");
  }

  @Test
  void update_duplicateAddress_keptOnce() {
    Balancer b =
        builder(Policy.ROUND_ROBIN)
            .build(List.of(Endpoint.of("a", 1), Endpoint.of("a", 1), Endpoint.of("b", 1)));

    assertThat(b.endpoints()).hasSize(2);
  }

  @Test
  void update_weightChange_keepsNodeAppliesWeight() {
    Balancer b = builder(Policy.WEIGHTED_RANDOM).build(hosts(2));

    b.update(List.of(new Endpoint("h0", 80, 9), Endpoint.of("h1", 80)));

    assertThat(detector.tracked).isEqualTo(2);
    assertThat(picks(b, 10_000).get("h0")).isBetween(8_700, 9_300);
  }

  @Test
  void release_twice_countsOnce() {
    Balancer b = builder(Policy.P2C_LEAST_LOADED).build(hosts(2));
    Pick p = b.pick();
    String first = p.endpoint().host();
    p.release(ResponseClass.SUCCESS);
    p.release(ResponseClass.SUCCESS);

    Pick hold = b.pick();
    Pick next = b.pick();

    assertThat(hold.endpoint().host()).isNotEqualTo(next.endpoint().host());
    assertThat(List.of(hold.endpoint().host(), next.endpoint().host())).contains(first);
  }

  @Test
  void peakEwma_slowEndpoint_getsLittleTraffic() {
    Balancer b = builder(Policy.P2C_PEAK_EWMA).build(hosts(5));
    int slow = 0;
    for (int i = 0; i < 5000; i++) {
      Pick p = b.pick();
      boolean isSlow = p.endpoint().host().equals("h0");
      clock.advance(Duration.ofMillis(isSlow ? 100 : 10));
      p.release(ResponseClass.SUCCESS);
      slow += isSlow ? 1 : 0;
    }

    assertThat(slow).isLessThan(5000 / 5 / 4);
  }

  @Test
  void peakEwma_newEndpoint_seededAtPeerMedian_neitherFloodedNorStarved() {
    Balancer b = builder(Policy.P2C_PEAK_EWMA).build(hosts(4));
    warm(b, Duration.ofMillis(20), 400);

    b.update(hosts(5));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      Pick p = b.pick();
      counts.merge(p.endpoint().host(), 1, Integer::sum);
      clock.advance(Duration.ofMillis(20));
      p.release(ResponseClass.SUCCESS);
    }

    assertThat(counts.getOrDefault("h4", 0)).isBetween(100, 350);
  }

  @Test
  void peakEwma_noPeerData_usesDefaultRtt() {
    Balancer b = builder(Policy.P2C_PEAK_EWMA).defaultRtt(Duration.ofMillis(30)).build(hosts(2));

    assertThat(picks(b, 100)).containsOnlyKeys("h0", "h1");
  }

  @Test
  void slowStart_newEndpoint_rampsUp() {
    Balancer b =
        builder(Policy.P2C_LEAST_LOADED).slowStart(Duration.ofSeconds(30), 0.1).build(hosts(4));
    b.update(hosts(5));
    List<Pick> held = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      held.add(b.pick());
    }

    assertThat(held).extracting(p -> p.endpoint().host()).doesNotContain("h4");

    clock.advance(Duration.ofSeconds(30));
    held.forEach(p -> p.release(ResponseClass.SUCCESS));
    assertThat(picks(b, 500)).containsKey("h4");
  }

  @Test
  void builder_badValues_rejected() {
    Balancers.Builder b = Balancers.newBuilder();

    assertThatThrownBy(() -> b.decayTime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.panicThreshold(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxEffort(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.slowStart(Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.defaultRtt(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void warm(Balancer b, Duration latency, int requests) {
    for (int i = 0; i < requests; i++) {
      Pick p = b.pick();
      clock.advance(latency);
      p.release(ResponseClass.SUCCESS);
    }
  }
}
