package io.roster.client.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.client.BadAnswersTest;
import io.roster.client.RosterClient;
import io.roster.client.WriteOptions;
import io.roster.testkit.InProcessRoster;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration with TTL refresh and the watch-driven instance cache against a real server. */
class DiscoveryTest {
  private InProcessRoster roster;
  private RosterClient client;
  private ServiceRegistry registry;
  private ServiceDiscovery discovery;

  @BeforeEach
  void start() throws Exception {
    roster = InProcessRoster.start("discovery");
    client =
        RosterClient.builder()
            .endpoints(roster.clientUrl())
            .requestTimeout(Duration.ofSeconds(10))
            .memberRefreshInterval(Duration.ZERO)
            .build();
    BadAnswersTest.awaitQuorumReads(client);
    registry = new ServiceRegistry(client);
    discovery = new ServiceDiscovery(client);
  }

  @AfterEach
  void stop() {
    registry.close();
    client.close();
    roster.close();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }

  /** Records listener calls as strings: "+id", "-id", "~id:STATE". */
  private static final class Recording implements InstanceListener {
    final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

    @Override
    public void onAdded(ServiceInstance i) {
      calls.add("+" + i.id());
    }

    @Override
    public void onRemoved(ServiceInstance i) {
      calls.add("-" + i.id());
    }

    @Override
    public void onChanged(ServiceInstance before, ServiceInstance after) {
      calls.add("~" + after.id() + ":" + after.state());
    }

    String next() throws InterruptedException {
      String s = calls.poll(10, TimeUnit.SECONDS);
      return s == null ? "(none)" : s;
    }
  }

  @Test
  void register_cacheSeesAddChangeAndRemove() throws Exception {
    ServiceInstance a = ServiceInstance.of("svc", "dc1", "a", "10.0.0.1", 8080);
    try (Registration existing = registry.register(a, Duration.ofSeconds(10));
        InstanceCache cache = discovery.watch("svc")) {
      assertThat(cache.instances()).containsExactly(a);
      Recording rec = new Recording();
      cache.addListener(rec);

      ServiceInstance b = ServiceInstance.of("svc", "dc2", "b", "10.0.0.2", 8080);
      Registration rb = registry.register(b, Duration.ofSeconds(10));
      assertThat(rec.next()).isEqualTo("+b");
      assertThat(cache.instances()).containsExactly(a, b);

      rb.updateState(InstanceState.DRAINING);
      assertThat(rec.next()).isEqualTo("~b:DRAINING");

      rb.close();
      assertThat(rec.next()).isEqualTo("-b");
      assertThat(cache.instances()).containsExactly(a);

      try (InstanceCache dc1 = discovery.watch("svc", "dc1")) {
        assertThat(dc1.instances()).containsExactly(a);
      }
    }
  }

  @Test
  void seedStyleEntries_areParsed_andUnparsableOnesSkipped() throws Exception {
    client.set(
        "/services/service_a/datacenter_x/u1",
        "{\"hostname\":\"\",\"port\":\"3000\"}",
        WriteOptions.defaults());
    client.set("/services/service_a/datacenter_x/bad", "not json", WriteOptions.defaults());
    try (InstanceCache cache = discovery.watch("service_a", "datacenter_x")) {
      assertThat(cache.instances())
          .containsExactly(ServiceInstance.of("service_a", "datacenter_x", "u1", "", 3000));
      client.set("/services/service_a/datacenter_x/u1", "garbage", WriteOptions.defaults());
      await(() -> cache.instances().isEmpty());
    }
  }

  @Test
  void refresh_keepsKeyAlivePastTtl_andExpiredKeyIsRecreated() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    ServiceInstance a = ServiceInstance.of("svc", "dc1", "a", "h", 1);
    try (Registration r =
            registry.register(
                a,
                Duration.ofSeconds(2),
                new RegistrationListener() {
                  @Override
                  public void onRecreated(ServiceInstance instance) {
                    events.add("recreated " + instance.id());
                  }
                });
        InstanceCache cache = discovery.watch("svc")) {
      Recording rec = new Recording();
      cache.addListener(rec);
      Thread.sleep(3_000);
      assertThat(cache.instances()).containsExactly(a);
      assertThat(rec.calls).isEmpty();

      client.delete(r.key());
      assertThat(rec.next()).isEqualTo("-a");
      assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("recreated a");
      assertThat(rec.next()).isEqualTo("+a");
    }
  }

  @Test
  void entryThatStopsRefreshing_expiresFromTheCache() throws Exception {
    try (InstanceCache cache = discovery.watch("svc")) {
      Recording rec = new Recording();
      cache.addListener(rec);
      client.set(
          "/services/svc/dc1/gone",
          "{\"hostname\":\"h\",\"port\":\"1\"}",
          WriteOptions.ttlOf(Duration.ofSeconds(1)));
      assertThat(rec.next()).isEqualTo("+gone");
      assertThat(rec.next()).isEqualTo("-gone");
      assertThat(cache.instances()).isEmpty();
    }
  }

  @Test
  void registryOutage_keepsTheCachedList_andRecoversAfterwards() throws Exception {
    ServiceInstance a = ServiceInstance.of("svc", "dc1", "a", "h", 1);
    client.set(a.key("/services"), a.toJson(), WriteOptions.defaults());
    try (InstanceCache cache = discovery.watch("svc")) {
      List<ServiceInstance> before = cache.instances();
      assertThat(before).containsExactly(a);
      await(() -> cache.staleness().isZero());
      long synced = cache.lastSyncIndex();
      roster.stop();
      await(() -> cache.staleness().compareTo(Duration.ofSeconds(1)) > 0);
      assertThat(cache.instances()).isSameAs(before);
      assertThat(cache.lastSyncIndex()).isEqualTo(synced);
      roster.start();
      ServiceInstance b = ServiceInstance.of("svc", "dc1", "b", "h", 2);
      client.set(b.key("/services"), b.toJson(), WriteOptions.defaults());
      await(() -> cache.instances().size() == 2);
      assertThat(cache.instances()).containsExactly(a, b);
      await(() -> cache.staleness().isZero());
      assertThat(cache.lastSyncIndex()).isGreaterThan(synced);
    }
  }

  private static ServiceInstance instance(
      String id, InstanceState state, String zone, Map<String, String> metadata) {
    return new ServiceInstance("svc", "dc1", id, "h", 1, "http", 1.0, zone, metadata, state);
  }

  @Test
  void filters_byStateZoneAndMetadata_forListsAndListeners() throws Exception {
    ServiceInstance a = instance("a", InstanceState.UP, "z1", Map.of("version", "2"));
    ServiceInstance b = instance("b", InstanceState.UP, "z2", Map.of("version", "1"));
    ServiceInstance c = instance("c", InstanceState.STARTING, "z1", Map.of("version", "2"));
    try (Registration ra = registry.register(a, Duration.ofSeconds(10));
        Registration rb = registry.register(b, Duration.ofSeconds(10));
        Registration rc = registry.register(c, Duration.ofSeconds(10));
        InstanceCache cache = discovery.watch("svc")) {
      assertThat(cache.instances()).containsExactly(a, b, c);
      assertThat(cache.instances(InstanceFilter.up())).containsExactly(a, b);
      assertThat(cache.instances(InstanceFilter.up().withMetadata("version", "2")))
          .containsExactly(a);
      assertThat(cache.instances(InstanceFilter.all().withZone("z1"))).containsExactly(a, c);
      assertThat(
              cache.instances(
                  InstanceFilter.all()
                      .withStates(InstanceState.STARTING, InstanceState.UP)
                      .withMetadata(m -> m.containsKey("version"))))
          .containsExactly(a, b, c);
      assertThatThrownBy(() -> cache.instances().add(a))
          .isInstanceOf(UnsupportedOperationException.class);

      Recording up = new Recording();
      Recording all = new Recording();
      cache.addListener(InstanceFilter.up(), up);
      cache.addListener(all);
      rc.updateState(InstanceState.UP);
      assertThat(up.next()).isEqualTo("+c");
      assertThat(all.next()).isEqualTo("~c:UP");
      ra.updateState(InstanceState.OUT_OF_SERVICE);
      assertThat(up.next()).isEqualTo("-a");
      assertThat(all.next()).isEqualTo("~a:OUT_OF_SERVICE");
      assertThat(cache.instances(InstanceFilter.up()))
          .containsExactly(b, c.withState(InstanceState.UP));
    }
  }

  @Test
  void drain_announcesDraining_waitsUntilEveryLiveMemberAppliedIt() throws Exception {
    URI dead = URI.create("http://127.0.0.1:" + InProcessRoster.freePort());
    ServiceInstance a = ServiceInstance.of("svc", "dc1", "a", "h", 1);
    try (RosterClient two =
            RosterClient.builder()
                .endpoints(roster.clientUrl(), dead)
                .requestTimeout(Duration.ofSeconds(10))
                .memberRefreshInterval(Duration.ZERO)
                .build();
        ServiceRegistry reg = new ServiceRegistry(two);
        Registration r = reg.register(a, Duration.ofSeconds(3));
        InstanceCache cache = discovery.watch("svc")) {
      Recording up = new Recording();
      cache.addListener(InstanceFilter.up(), up);
      DrainResult d = r.drain(Duration.ofMillis(100), Duration.ofSeconds(10));
      assertThat(d.complete()).isTrue();
      assertThat(d.applied()).containsExactly(roster.clientUrl());
      assertThat(d.unreachable()).containsExactly(dead);
      assertThat(d.index()).isGreaterThan(0);
      assertThat(up.next()).isEqualTo("-a");
      assertThat(cache.instances()).containsExactly(a.withState(InstanceState.DRAINING));
      assertThat(cache.index()).isGreaterThanOrEqualTo(d.index());
      assertThat(r.instance().state()).isEqualTo(InstanceState.DRAINING);
    }
  }

  @Test
  void removalBudget_massRemovalIsConfirmedByAQuorumRead_smallOnesAreNot() throws Exception {
    for (String id : List.of("a", "b", "c")) {
      ServiceInstance i = ServiceInstance.of("svc", "dc1", id, "h", 1);
      client.set(i.key("/services"), i.toJson(), WriteOptions.defaults());
    }
    try (InstanceCache cache = discovery.watch("svc")) {
      Recording rec = new Recording();
      cache.addListener(rec);
      client.delete("/services/svc/dc1/a");
      assertThat(rec.next()).isEqualTo("-a");
      assertThat(cache.confirmations()).isZero();

      client.deleteDir("/services/svc/dc1", true);
      assertThat(List.of(rec.next(), rec.next())).containsExactlyInAnyOrder("-b", "-c");
      assertThat(cache.confirmations()).isEqualTo(1);
      assertThat(cache.instances()).isEmpty();
    }
  }
}
