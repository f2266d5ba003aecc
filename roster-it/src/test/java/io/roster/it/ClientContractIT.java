package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.client.GetOptions;
import io.roster.client.RosterClient;
import io.roster.client.WatchEvent;
import io.roster.client.WatchOptions;
import io.roster.client.WriteOptions;
import io.roster.client.discovery.DrainResult;
import io.roster.client.discovery.InstanceCache;
import io.roster.client.discovery.InstanceFilter;
import io.roster.client.discovery.InstanceListener;
import io.roster.client.discovery.Registration;
import io.roster.client.discovery.ServiceDiscovery;
import io.roster.client.discovery.ServiceInstance;
import io.roster.client.discovery.ServiceRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java client and discovery contract, run unchanged against a real Roster process and a real
 * etcd 3.4.23 process: registration with TTL refresh and drain, the cache's add / change / expire /
 * deregister events, resync after the watch fell more than the server's 1000-event history behind
 * (error 401), and a registry outage (kill -9, restart on the same data) that keeps the cached list
 * and ends with the cache equal to the server's state.
 */
@ExtendWith(DumpLogsOnFailure.class)
class ClientContractIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private @Nullable ServerProcess server;

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    if (server != null) {
      server.close();
    }
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }

  private ServerProcess start(ServerKind kind, String label) {
    ServerProcess s = ServerProcess.start(kind, label);
    server = s;
    return s;
  }

  private RosterClient client(ServerProcess s) {
    return closing(
        RosterClient.builder()
            .endpoints(s.baseUrl())
            .requestTimeout(Duration.ofSeconds(3))
            .watchPollTimeout(Duration.ofSeconds(30))
            .memberRefreshInterval(Duration.ZERO)
            .build());
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void registration_cacheSeesAddDrainDeregisterAndExpire(ServerKind kind) throws Exception {
    ServerProcess s = start(kind, "contract-reg");
    RosterClient client = client(s);
    ServiceRegistry registry = closing(new ServiceRegistry(client));
    ServiceRegistry doomed = closing(new ServiceRegistry(client));
    InstanceCache cache = closing(new ServiceDiscovery(client).watch("svc", "dc1"));
    assertThat(cache.instances()).isEmpty();
    Recording all = new Recording();
    Recording up = new Recording();
    cache.addListener(all);
    cache.addListener(InstanceFilter.up(), up);

    ServiceInstance a = ServiceInstance.of("svc", "dc1", "a", "10.0.0.1", 8080);
    ServiceInstance b = ServiceInstance.of("svc", "dc1", "b", "10.0.0.2", 8080);
    Registration ra = doomed.register(a, Duration.ofSeconds(2));
    assertThat(all.next(WAIT)).isEqualTo("+a");
    Registration rb = registry.register(b, Duration.ofSeconds(2));
    assertThat(all.next(WAIT)).isEqualTo("+b");
    assertThat(up.next(2, WAIT)).containsExactly("+a", "+b");

    DrainResult drained = rb.drain(Duration.ofMillis(200), Duration.ofSeconds(10));
    assertThat(drained.complete()).isTrue();
    assertThat(drained.applied()).containsExactly(s.baseUrl());
    assertThat(all.next(WAIT)).isEqualTo("~b:DRAINING");
    assertThat(up.next(WAIT)).isEqualTo("-b");
    assertThat(cache.instances(InstanceFilter.up())).containsExactly(a);
    assertThat(cache.index()).isGreaterThanOrEqualTo(drained.index());

    rb.close();
    assertThat(all.next(WAIT)).isEqualTo("-b");
    assertThat(client.get("/services/svc/dc1", GetOptions.defaults()).node().nodes())
        .extracting(n -> n.key())
        .containsExactly(a.key("/services"));

    doomed.close();
    assertThat(all.next(WAIT)).as("a stops refreshing and expires").isEqualTo("-a");
    assertThat(up.next(WAIT)).isEqualTo("-a");
    assertThat(cache.instances()).isEmpty();
    assertThat(ra.key()).isEqualTo(a.key("/services"));
    Await.until(WAIT, "cache parked again", () -> cache.staleness().isZero());
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void watchFallsBehindTheHistory_cacheResyncsToTheServersState(ServerKind kind) throws Exception {
    ServerProcess s = start(kind, "contract-401");
    RosterClient client = client(s);
    ServiceInstance a = ServiceInstance.of("svc", "dc1", "a", "h", 1);
    ServiceInstance b = ServiceInstance.of("svc", "dc1", "b", "h", 2);
    ServiceInstance c = ServiceInstance.of("svc", "dc1", "c", "h", 3);
    ServiceInstance d = ServiceInstance.of("svc", "dc1", "d", "h", 4);
    client.set(a.key("/services"), a.toJson(), WriteOptions.defaults());
    client.set(b.key("/services"), b.toJson(), WriteOptions.defaults());
    InstanceCache cache = closing(new ServiceDiscovery(client).watch("svc"));
    assertThat(cache.instances()).containsExactly(a, b);

    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    cache.addListener(
        new InstanceListener() {
          @Override
          public void onAdded(ServiceInstance i) {
            if (i.id().equals("c")) {
              blocked.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        });
    Recording rec = new Recording();
    cache.addListener(rec);
    client.set(c.key("/services"), c.toJson(), WriteOptions.defaults());
    assertThat(blocked.await(20, TimeUnit.SECONDS)).as("listener got c").isTrue();

    client.delete(b.key("/services"));
    client.set(d.key("/services"), d.toJson(), WriteOptions.defaults());
    writeNoise(client, 1_100);
    release.countDown();

    assertThat(rec.next(WAIT)).isEqualTo("+c");
    assertThat(rec.next(2, WAIT)).containsExactlyInAnyOrder("-b", "+d");
    assertThat(cache.instances()).containsExactly(a, c, d);
    assertThat(cache.resyncs()).as("the watch resynced after 401").isGreaterThanOrEqualTo(1);

    try (var w =
        client.watch(
            "/services/svc", WatchOptions.defaults().withRecursive(true).withFromIndex(1))) {
      WatchEvent first = w.poll(WAIT);
      assertThat(first)
          .as("a watch from index 1 is past the history")
          .isInstanceOf(WatchEvent.Resync.class);
    }
  }

  /** {@code n} writes outside the watched prefix, 32 in flight at a time. */
  static void writeNoise(RosterClient client, int n) {
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inFlight.add(
          client.setAsync("/noise/k" + (i % 50), Integer.toString(i), WriteOptions.defaults()));
      if (inFlight.size() == 32) {
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        inFlight.clear();
      }
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void registryKilledAndRestarted_cacheKeepsItsList_thenMatchesTheServer(ServerKind kind)
      throws Exception {
    ServerProcess s = start(kind, "contract-outage");
    RosterClient client = client(s);
    ServiceRegistry registry = closing(new ServiceRegistry(client));
    ServiceInstance a = ServiceInstance.of("svc", "dc1", "a", "h", 1);
    ServiceInstance b = ServiceInstance.of("svc", "dc1", "b", "h", 2);
    registry.register(a, Duration.ofSeconds(30));
    registry.register(b, Duration.ofSeconds(30));
    InstanceCache cache = closing(new ServiceDiscovery(client).watch("svc"));
    List<ServiceInstance> before = cache.instances();
    assertThat(before).containsExactly(a, b);
    Await.until(WAIT, "cache parked", () -> cache.staleness().isZero());

    s.kill9();
    Await.until(
        WAIT,
        "staleness shows the outage",
        () -> cache.staleness().compareTo(Duration.ofSeconds(2)) > 0);
    assertThat(cache.instances()).as("an outage never empties the list").isSameAs(before);

    s.restart();
    ServiceInstance c = ServiceInstance.of("svc", "dc1", "c", "h", 3);
    client.set(c.key("/services"), c.toJson(), WriteOptions.defaults());
    Await.until(
        WAIT,
        () -> "cache " + cache.instances() + " never matched the server",
        () -> cache.instances().equals(serverState(client)) && cache.instances().contains(c));
    assertThat(cache.instances()).containsExactly(a, b, c);
    Await.until(WAIT, "cache parked again", () -> cache.staleness().isZero());
  }

  /** What the server holds under /services/svc, by a quorum read, as instances sorted by key. */
  static List<ServiceInstance> serverState(RosterClient client) {
    List<ServiceInstance> out = new ArrayList<>();
    try {
      collect(
          client
              .get(
                  "/services/svc",
                  GetOptions.defaults().withRecursive(true).withSorted(true).withQuorum(true))
              .node(),
          out);
    } catch (RuntimeException e) {
      return List.of();
    }
    return out;
  }

  private static void collect(io.roster.client.Node n, List<ServiceInstance> out) {
    String v = n.value();
    if (n.dir()) {
      n.nodes().forEach(c -> collect(c, out));
    } else if (v != null) {
      out.add(ServiceInstance.parse("/services", n.key(), v));
    }
  }
}
