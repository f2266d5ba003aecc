package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.client.KeyResponse;
import io.roster.client.RosterClient;
import io.roster.client.WriteOptions;
import io.roster.client.discovery.InstanceCache;
import io.roster.client.discovery.InstanceListener;
import io.roster.client.discovery.Registration;
import io.roster.client.discovery.ServiceDiscovery;
import io.roster.client.discovery.ServiceInstance;
import io.roster.client.discovery.ServiceRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a new, an expired and a deregistered instance takes to reach an {@link InstanceCache},
 * p50/p99 over {@code roster.latency.runs} (default 100) runs each, against one real server process
 * (Roster; {@code -Droster.it.server=etcd} for etcd 3.4). Prints the figures and writes them to
 * {@code target…/it-logs/discovery-latency.txt}; asserts only that every event arrived, once, and
 * not before its cause — timing is reported, never asserted.
 *
 * <ul>
 *   <li><b>new</b>: from just before {@link ServiceRegistry#register} sends its write to the
 *       cache's {@code onAdded} (includes the write's own commit).
 *   <li><b>deregistered</b>: from just before {@link Registration#close()} sends its delete to
 *       {@code onRemoved}.
 *   <li><b>expired</b>: from the TTL deadline — the {@code expiration} the server reported for the
 *       last write, i.e. last refresh + TTL, on the same host clock — to {@code onRemoved}. The
 *       server's expiry ticker runs every 500 ms (etcd's too), so this figure is dominated by a
 *       uniform 0–500 ms wait for the next tick.
 * </ul>
 *
 * Three permanent instances stay registered so that one removal stays within the cache's default
 * removal budget (a lone instance's removal would add a confirming quorum read). Not in the default
 * suite (about 40 s); run with {@code mvn -o -pl roster-it verify -Dit.test=DiscoveryLatencyIT
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith(DumpLogsOnFailure.class)
class DiscoveryLatencyIT {
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryLatencyIT.class);
  private static final int RUNS = Integer.getInteger("roster.latency.runs", 100);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Map<String, Long> addedNanos = new ConcurrentHashMap<>();
  private final Map<String, Long> removedNanos = new ConcurrentHashMap<>();
  private final Map<String, Instant> removedWall = new ConcurrentHashMap<>();

  @Test
  void newExpiredAndDeregisteredInstances_reachTheCache() throws Exception {
    ServerKind kind = ServerKind.underTest();
    try (ServerProcess server = ServerProcess.start(kind, "latency");
        RosterClient writer = client(server);
        RosterClient reader = client(server);
        ServiceRegistry registry = new ServiceRegistry(writer)) {
      for (int i = 0; i < 3; i++) {
        ServiceInstance anchor = ServiceInstance.of("lat", "dc1", "anchor" + i, "h", 1);
        writer.set(anchor.key("/services"), anchor.toJson(), WriteOptions.defaults());
      }
      try (InstanceCache cache = new ServiceDiscovery(reader).watch("lat")) {
        cache.addListener(
            new InstanceListener() {
              @Override
              public void onAdded(ServiceInstance i) {
                addedNanos.putIfAbsent(i.id(), System.nanoTime());
              }

              @Override
              public void onRemoved(ServiceInstance i) {
                removedWall.putIfAbsent(i.id(), Instant.now());
                removedNanos.putIfAbsent(i.id(), System.nanoTime());
              }
            });
        Histogram added = new Histogram(3);
        Histogram deregistered = new Histogram(3);
        for (int run = 0; run < RUNS; run++) {
          String id = "n" + run;
          ServiceInstance inst = ServiceInstance.of("lat", "dc1", id, "h", 2);
          long t0 = System.nanoTime();
          Registration r = registry.register(inst, Duration.ofSeconds(30));
          Await.until(WAIT, id + " reached the cache", () -> addedNanos.containsKey(id));
          added.recordValue(micros(java.util.Objects.requireNonNull(addedNanos.get(id)) - t0));
          long t1 = System.nanoTime();
          r.close();
          Await.until(WAIT, id + " left the cache", () -> removedNanos.containsKey(id));
          deregistered.recordValue(
              micros(java.util.Objects.requireNonNull(removedNanos.get(id)) - t1));
        }

        Histogram expired = new Histogram(3);
        Map<String, Instant> deadlines = new ConcurrentHashMap<>();
        for (int run = 0; run < RUNS; run++) {
          String id = "e" + run;
          ServiceInstance inst = ServiceInstance.of("lat", "dc1", id, "h", 3);
          KeyResponse w =
              writer.set(
                  inst.key("/services"), inst.toJson(), WriteOptions.ttlOf(Duration.ofSeconds(1)));
          Instant deadline = w.node().expiration();
          assertThat(deadline).as("a TTL write reports its expiration").isNotNull();
          deadlines.put(id, deadline);
          Thread.sleep(97);
        }
        Await.until(
            WAIT,
            () -> "expired " + removedWall.keySet().stream().filter(k -> k.startsWith("e")).count(),
            () -> deadlines.keySet().stream().allMatch(removedWall::containsKey));
        for (Map.Entry<String, Instant> d : deadlines.entrySet()) {
          Duration late = Duration.between(d.getValue(), removedWall.get(d.getKey()));
          assertThat(late.isNegative())
              .as("%s left the cache before its deadline", d.getKey())
              .isFalse();
          expired.recordValue(late.toNanos() / 1_000);
        }

        assertThat(added.getTotalCount()).isEqualTo(RUNS);
        assertThat(deregistered.getTotalCount()).isEqualTo(RUNS);
        assertThat(expired.getTotalCount()).isEqualTo(RUNS);
        assertThat(cache.instances()).hasSize(3);
        report(kind, added, expired, deregistered);
      }
    }
  }

  private static RosterClient client(ServerProcess s) {
    return RosterClient.builder()
        .endpoints(s.baseUrl())
        .requestTimeout(Duration.ofSeconds(10))
        .memberRefreshInterval(Duration.ZERO)
        .build();
  }

  private static long micros(long nanos) {
    return Math.max(0, nanos / 1_000);
  }

  private static void report(ServerKind kind, Histogram added, Histogram expired, Histogram gone)
      throws IOException {
    String text =
        String.format("discovery latency against %s, %d runs each (ms)%n", kind, RUNS)
            + line("new", added, "register write sent -> onAdded")
            + line("expired", expired, "TTL deadline -> onRemoved; 500 ms expiry tick")
            + line("deregistered", gone, "delete sent -> onRemoved");
    LOG.info("\n{}", text);
    System.out.print(text);
    Path out = ServerProcess.logDir().resolve("discovery-latency.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, text, StandardCharsets.UTF_8);
  }

  private static String line(String what, Histogram h, String measured) {
    return String.format(
        "  %-12s p50 %8.2f  p99 %8.2f  max %8.2f   (%s)%n",
        what, ms(h, 50), ms(h, 99), h.getMaxValue() / 1000.0, measured);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }
}
