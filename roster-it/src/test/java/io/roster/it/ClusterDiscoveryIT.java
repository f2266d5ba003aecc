package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.client.GetOptions;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import io.roster.client.RosterClient;
import io.roster.client.Watch;
import io.roster.client.WatchEvent;
import io.roster.client.WatchOptions;
import io.roster.client.WriteOptions;
import io.roster.client.discovery.InstanceCache;
import io.roster.client.discovery.RegistrationListener;
import io.roster.client.discovery.ServiceDiscovery;
import io.roster.client.discovery.ServiceInstance;
import io.roster.client.discovery.ServiceRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery on a real three-member cluster of processes (Roster; with {@code -Pfaults} also etcd
 * 3.4 for comparison, a second member kill in the watch test and the killed member's restart):
 *
 * <ul>
 *   <li>a registration survives the kill -9 of the member its client talks to (the leader, the
 *       hardest case): caches on the other members never see it go, and once it stops refreshing it
 *       disappears from every cache (with {@code -Pfaults} also one on the killed member after its
 *       restart);
 *   <li>a watch stays gap-free and duplicate-free while the member it watches through is killed
 *       (twice with {@code -Pfaults}), checked against the full history of the prefix (every key
 *       written once, read back with a quorum read, ordered by index).
 * </ul>
 */
@ExtendWith(DumpLogsOnFailure.class)
class ClusterDiscoveryIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterDiscoveryIT.class);
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** {@code -Pfaults} (roster.faults.long): the etcd cluster too, a second kill, restarts. */
  private static final boolean LONG = Boolean.getBoolean("roster.faults.long");

  static Stream<ServerKind> kinds() {
    return LONG ? Stream.of(ServerKind.ROSTER, ServerKind.ETCD) : Stream.of(ServerKind.ROSTER);
  }

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private @Nullable ServerCluster cluster;

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }

  private RosterClient client(List<URI> endpoints) {
    return closing(
        RosterClient.builder()
            .endpoints(endpoints)
            .requestTimeout(Duration.ofSeconds(5))
            .watchPollTimeout(Duration.ofSeconds(30))
            .memberRefreshInterval(Duration.ZERO)
            .build());
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void registrationSurvivesItsMembersKill_thenExpiresFromEveryCache(ServerKind kind)
      throws Exception {
    ServerCluster c = ServerCluster.start(kind, "cl-reg", 3);
    cluster = c;
    ServerProcess leader = c.awaitLeader();
    LOG.info("{}: first quorum read per member took {}", kind, c.awaitQuorumReads());
    List<URI> order = new ArrayList<>(List.of(leader.baseUrl()));
    c.clientUrls().stream().filter(u -> !u.equals(leader.baseUrl())).forEach(order::add);
    RosterClient regClient = client(order);
    ServiceRegistry registry = closing(new ServiceRegistry(regClient));

    List<InstanceCache> caches = new ArrayList<>();
    List<Recording> recordings = new ArrayList<>();
    for (ServerProcess m : c.members) {
      InstanceCache cache =
          closing(new ServiceDiscovery(client(List.of(m.baseUrl()))).watch("svc"));
      Recording r = new Recording();
      cache.addListener(r);
      caches.add(cache);
      recordings.add(r);
    }
    int killed = c.members.indexOf(leader);
    AtomicInteger recreated = new AtomicInteger();
    AtomicInteger refreshFailures = new AtomicInteger();
    ServiceInstance a = ServiceInstance.of("svc", "dc1", "a", "10.0.0.1", 80);
    Duration ttl = Duration.ofSeconds(10);
    registry.register(
        a,
        ttl,
        new RegistrationListener() {
          @Override
          public void onRecreated(ServiceInstance instance) {
            recreated.incrementAndGet();
          }

          @Override
          public void onRefreshFailed(ServiceInstance instance, RuntimeException error) {
            refreshFailures.incrementAndGet();
          }
        });
    for (Recording r : recordings) {
      assertThat(r.next(WAIT)).isEqualTo("+a");
    }

    leader.kill9();
    Await.until(
        WAIT,
        "the registration's client fails over from the killed member",
        () -> !regClient.endpoints().get(0).equals(leader.baseUrl()));
    Thread.sleep(ttl.multipliedBy(2).toMillis());
    LOG.info(
        "{}: after the kill: {} refresh failures, {} re-creations",
        kind,
        refreshFailures.get(),
        recreated.get());
    for (int i = 0; i < c.members.size(); i++) {
      if (i != killed) {
        assertThat(recordings.get(i).calls)
            .as("cache on %s saw no change while the registration lived", c.member(i))
            .isEmpty();
        assertThat(caches.get(i).instances()).containsExactly(a);
      }
    }
    assertThat(recreated.get()).as("the key never expired").isZero();

    registry.close();
    for (int i = 0; i < c.members.size(); i++) {
      if (i != killed) {
        assertThat(recordings.get(i).next(ttl.plus(WAIT))).isEqualTo("-a");
        assertThat(caches.get(i).instances()).isEmpty();
      }
    }
    if (LONG) {
      leader.restart();
      InstanceCache onRestarted = caches.get(killed);
      Await.until(
          WAIT,
          () -> "cache on the restarted member still lists " + onRestarted.instances(),
          () -> onRestarted.instances().isEmpty());
      assertThat(recordings.get(killed).calls).containsExactly("-a");
    }
  }

  /** One write of the history: the key and the index the server gave it. */
  private record Written(String key, long index) {}

  @ParameterizedTest
  @MethodSource("kinds")
  void watchAcrossMemberKills_deliversTheFullHistoryExactlyOnceInOrder(ServerKind kind)
      throws Exception {
    ServerCluster c = ServerCluster.start(kind, "cl-gap", 3);
    cluster = c;
    c.awaitLeader();
    RosterClient writer = client(c.clientUrls());
    RosterClient watcher = client(c.clientUrls());
    ServerProcess first = c.member(0);
    Watch watch =
        closing(
            watcher.watch(
                "/gap", WatchOptions.defaults().withRecursive(true).withQueueCapacity(100_000)));

    int total = 600;
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    Map<String, String> failed = new ConcurrentHashMap<>();
    AtomicInteger done = new AtomicInteger();
    Thread writes =
        new Thread(
            () -> {
              for (int i = 0; i < total; i++) {
                String key = String.format("/gap/k%04d", i);
                try {
                  KeyResponse r = writer.create(key, Integer.toString(i), WriteOptions.defaults());
                  acknowledged.put(key, r.node().modifiedIndex());
                } catch (RuntimeException e) {
                  failed.put(key, e.toString());
                }
                done.incrementAndGet();
              }
            },
            "gap-writer");
    writes.start();

    Await.until(WAIT, "200 writes", () -> done.get() >= 200);
    first.kill9();
    ServerProcess second = c.member(1);
    if (LONG) {
      Await.until(WAIT, "400 writes", () -> done.get() >= 400);
      first.restart();
      second.kill9();
    }
    writes.join(WAIT.multipliedBy(4).toMillis());
    assertThat(writes.isAlive()).isFalse();
    if (LONG) {
      second.restart();
    }
    LOG.info("{}: first quorum read per member took {}", kind, c.awaitQuorumReads());

    KeyResponse all =
        writer.get("/gap", GetOptions.defaults().withRecursive(true).withQuorum(true));
    List<Written> history = new ArrayList<>();
    for (Node n : all.node().nodes()) {
      assertThat(n.createdIndex()).as("%s written once", n.key()).isEqualTo(n.modifiedIndex());
      history.add(new Written(n.key(), n.modifiedIndex()));
    }
    history.sort(Comparator.comparingLong(Written::index));
    LOG.info(
        "{}: {} writes acknowledged, {} failed or unknown, {} in the history",
        kind,
        acknowledged.size(),
        failed.size(),
        history.size());
    for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
      assertThat(history).contains(new Written(ack.getKey(), ack.getValue()));
    }
    assertThat(history.size()).isGreaterThanOrEqualTo(acknowledged.size());

    long last = history.get(history.size() - 1).index();
    List<Written> seen = new ArrayList<>();
    while (seen.isEmpty() || seen.get(seen.size() - 1).index() < last) {
      WatchEvent e = watch.poll(WAIT);
      if (!(e instanceof WatchEvent.Change ch)) {
        throw new AssertionError(
            "expected the next change after "
                + seen.size()
                + " of "
                + history.size()
                + " (no resync: the history never left the server's window), got "
                + e);
      }
      seen.add(new Written(ch.node().key(), ch.index()));
    }
    assertThat(seen).containsExactlyElementsOf(history);
    assertThat(watcher.endpoints().get(0))
        .as("the watch moved off the killed members")
        .isEqualTo(c.member(LONG ? 2 : 1).baseUrl());
  }
}
