package io.roster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.roster.client.MisbehavingProxy.Mode;
import io.roster.client.discovery.InstanceCache;
import io.roster.client.discovery.ServiceDiscovery;
import io.roster.client.discovery.ServiceInstance;
import io.roster.testkit.InProcessRoster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Endpoints that are slow, silent, not etcd, or lying, played by a real HTTP server in front of a
 * real Roster: every call ends with a typed error within the request timeout (the generous
 * preemptive bound only catches hangs), reads fail over to a good endpoint, and an instance cache
 * behind a bad endpoint keeps its list (never corrupted) and catches up once the endpoint heals.
 */
public class BadAnswersTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Duration CACHE_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration HANG_GUARD = Duration.ofSeconds(20);
  private static InProcessRoster roster;
  private MisbehavingProxy proxy;
  private RosterClient direct;

  @BeforeAll
  static void startServer() throws Exception {
    roster = InProcessRoster.start("bad-answers");
    try (RosterClient c = client(Duration.ofSeconds(10), roster.clientUrl().toString())) {
      awaitQuorumReads(c);
    }
  }

  @AfterAll
  static void stopServer() {
    roster.close();
  }

  @BeforeEach
  void start() throws Exception {
    proxy = new MisbehavingProxy(roster.clientUrl());
    direct = client(Duration.ofSeconds(5), roster.clientUrl().toString());
  }

  @AfterEach
  void stop() {
    direct.close();
    proxy.close();
  }

  private static RosterClient client(String... endpoints) {
    return client(TIMEOUT, endpoints);
  }

  private static RosterClient client(Duration timeout, String... endpoints) {
    return RosterClient.builder()
        .endpoints(java.util.Arrays.stream(endpoints).map(java.net.URI::create).toList())
        .requestTimeout(timeout)
        .watchPollTimeout(Duration.ofSeconds(3))
        .maxResponseBytes(1 << 20)
        .memberRefreshInterval(Duration.ZERO)
        .build();
  }

  /**
   * Waits (bounded) until the member answers a quorum read. A freshly started in-process Roster
   * member sometimes needs seconds for its first linearizable read (it may even answer 300), and
   * the caches start with one; a server issue, reported, that these client tests do not measure.
   */
  public static void awaitQuorumReads(RosterClient c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        c.get("/", GetOptions.defaults().withQuorum(true));
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not within 15 s");
      }
      Thread.sleep(20);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"HANG", "STALL_BODY", "HTML", "WRONG_JSON", "GARBAGE", "ENDLESS"})
  void badEndpoint_everyCallEndsWithATypedError(Mode mode) {
    proxy.mode(mode);
    try (RosterClient c = client(proxy.uri().toString())) {
      assertTimeoutPreemptively(
          HANG_GUARD,
          () -> {
            assertThatThrownBy(() -> c.get("/t/x", GetOptions.defaults()))
                .isExactlyInstanceOf(RosterTransportException.class)
                .hasMessageContaining(proxy.uri().toString());
            assertThatThrownBy(() -> c.set("/t/x", "1", WriteOptions.defaults()))
                .isInstanceOf(OutcomeUnknownException.class);
            assertThatThrownBy(() -> c.watch("/t", WatchOptions.defaults()))
                .isExactlyInstanceOf(RosterTransportException.class);
            assertThatThrownBy(() -> new ServiceDiscovery(c).watch("svc"))
                .isExactlyInstanceOf(RosterTransportException.class);
          });
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"HANG", "STALL_BODY", "HTML", "WRONG_JSON", "GARBAGE", "ENDLESS"})
  void badEndpointFirst_readsFailOverToTheGoodOne(Mode mode) {
    proxy.mode(mode);
    direct.set("/t/good", "g", WriteOptions.defaults());
    try (RosterClient c = client(proxy.uri().toString(), roster.clientUrl().toString())) {
      assertTimeoutPreemptively(
          HANG_GUARD,
          () -> {
            assertThat(c.get("/t/good", GetOptions.defaults()).node().value()).isEqualTo("g");
            assertThat(c.endpoints().get(0)).isEqualTo(roster.clientUrl());
          });
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"HANG", "STALL_BODY", "GARBAGE", "REWOUND_EVENT"})
  void cacheBehindABadEndpoint_keepsItsList_thenCatchesUpExactly(Mode mode) throws Exception {
    String service = "bad-" + mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    ServiceInstance a = ServiceInstance.of(service, "dc1", "a", "h", 1);
    ServiceInstance b = ServiceInstance.of(service, "dc1", "b", "h", 2);
    direct.set(a.key("/services"), a.toJson(), WriteOptions.defaults());
    try (RosterClient c = client(CACHE_TIMEOUT, proxy.uri().toString());
        InstanceCache cache = new ServiceDiscovery(c).watch(a.service())) {
      assertThat(cache.instances()).containsExactly(a);
      await(() -> cache.staleness().isZero(), "watch parked through the proxy");

      proxy.mode(mode);
      direct.set(b.key("/services"), b.toJson(), WriteOptions.defaults());
      direct.delete(a.key("/services"));
      await(() -> cache.staleness().compareTo(Duration.ofSeconds(1)) > 0, "staleness grows");
      long seen = proxy.requests();
      await(() -> proxy.requests() > seen + 1, "the watch keeps retrying");
      List<ServiceInstance> during = cache.instances();
      assertThat(during).isSubsetOf(a, b);
      assertThat(during).isNotEmpty();

      proxy.mode(Mode.FORWARD);
      await(() -> cache.instances().equals(List.of(b)), "cache caught up with the server");
      await(() -> cache.staleness().isZero(), "watch parked again");
      assertThat(cache.lastSyncIndex()).isGreaterThanOrEqualTo(cache.index());
    }
  }

  @Test
  void forgedMassDelete_isNotTakenOnTheWatchsWord() throws Exception {
    ServiceInstance a = ServiceInstance.of("forged", "dc1", "a", "h", 1);
    ServiceInstance b = ServiceInstance.of("forged", "dc1", "b", "h", 2);
    direct.set(a.key("/services"), a.toJson(), WriteOptions.defaults());
    direct.set(b.key("/services"), b.toJson(), WriteOptions.defaults());
    try (RosterClient c = client(CACHE_TIMEOUT, proxy.uri().toString());
        InstanceCache cache = new ServiceDiscovery(c).watch("forged")) {
      assertThat(cache.instances()).containsExactly(a, b);
      proxy.mode(Mode.FORGED_DELETE);
      await(() -> cache.confirmations() >= 1, "the forged delete was checked by a quorum read");
      assertThat(cache.instances()).containsExactly(a, b);
      proxy.mode(Mode.FORWARD);
      ServiceInstance d = ServiceInstance.of("forged", "dc1", "d", "h", 4);
      direct.set(d.key("/services"), d.toJson(), WriteOptions.defaults());
      await(() -> cache.instances().contains(d), "later changes still arrive");
      assertThat(cache.instances()).containsExactly(a, b, d);
    }
  }
}
