package io.roster.lb.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.client.discovery.InstanceState;
import io.roster.client.discovery.ServiceInstance;
import io.roster.lb.Endpoint;
import io.roster.lb.FakeScheduler;
import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class DiscoveredEndpointsTest {
  private final ManualClock clock = new ManualClock(0);
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private volatile List<ServiceInstance> instances = new ArrayList<>();
  private int detached;

  private static ServiceInstance up(String id, int port) {
    return ServiceInstance.of("svc", "dc1", id, "10.0.0.1", port);
  }

  private DiscoveredEndpoints source() {
    return new DiscoveredEndpoints(
        () -> instances, scheduler, Duration.ofMillis(100).toNanos(), () -> detached++);
  }

  @Test
  void endpointsOf_keepsOnlyUpInstancesWithAnAddress() {
    ServiceInstance weighted =
        new ServiceInstance(
            "svc", "dc1", "w", "10.0.0.9", 90, "http", 2.5, "z1", Map.of(), InstanceState.UP);
    List<Endpoint> out =
        DiscoveredEndpoints.endpointsOf(
            List.of(
                up("a", 1),
                up("b", 2).withState(InstanceState.DRAINING),
                up("c", 3).withState(InstanceState.OUT_OF_SERVICE),
                up("d", 4).withState(InstanceState.STARTING),
                ServiceInstance.of("svc", "dc1", "e", "", 5),
                ServiceInstance.of("svc", "dc1", "f", "10.0.0.1", 0),
                weighted));

    assertThat(out)
        .containsExactly(
            new Endpoint("10.0.0.1", 1, 1.0, null), new Endpoint("10.0.0.9", 90, 2.5, "z1"));
  }

  @Test
  void subscribe_getsCurrentListAtOnce() {
    instances = List.of(up("a", 1));
    List<List<Endpoint>> got = new ArrayList<>();

    source().subscribe(got::add);

    assertThat(got).containsExactly(List.of(Endpoint.of("10.0.0.1", 1)));
  }

  @Test
  void burstOfChanges_publishedOnceAfterBatch() {
    DiscoveredEndpoints s = source();
    List<List<Endpoint>> got = new ArrayList<>();
    s.subscribe(got::add);

    for (int i = 1; i <= 50; i++) {
      List<ServiceInstance> next = new ArrayList<>(instances);
      next.add(up("i" + i, i));
      instances = next;
      s.changed();
      scheduler.advance(Duration.ofMillis(1));
    }
    scheduler.advance(Duration.ofMillis(100));

    assertThat(got).hasSize(2);
    assertThat(got.get(1)).hasSize(50);
    assertThat(s.endpoints()).hasSize(50);
  }

  @Test
  void drainingInstance_removedAtNextBatch() {
    instances = List.of(up("a", 1), up("b", 2));
    DiscoveredEndpoints s = source();
    List<List<Endpoint>> got = new ArrayList<>();
    s.subscribe(got::add);

    instances = List.of(up("a", 1), up("b", 2).withState(InstanceState.DRAINING));
    s.changed();
    scheduler.advance(Duration.ofMillis(100));

    assertThat(got.get(got.size() - 1)).containsExactly(Endpoint.of("10.0.0.1", 1));
  }

  @Test
  void changeWithoutEffect_notPublished() {
    instances = List.of(up("a", 1));
    DiscoveredEndpoints s = source();
    List<List<Endpoint>> got = new ArrayList<>();
    s.subscribe(got::add);

    instances = List.of(up("a", 1), up("b", 2).withState(InstanceState.STARTING));
    s.changed();
    scheduler.advance(Duration.ofMillis(100));

    assertThat(got).hasSize(1);
  }

  @Test
  void close_stopsPublishing_andDetaches() {
    DiscoveredEndpoints s = source();
    List<List<Endpoint>> got = new ArrayList<>();
    s.subscribe(got::add);

    s.close();
    instances = List.of(up("a", 1));
    s.changed();
    scheduler.advance(Duration.ofMillis(100));

    assertThat(got).hasSize(1);
    assertThat(detached).isEqualTo(1);
  }
}
