package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durability under SIGKILL: 16 writer threads PUT {@code /v2/keys/k/<round>t<thread>-<n>} while the
 * server is killed with {@code kill -9} mid-load; after a restart on the same data dir every write
 * that was acknowledged (200/201) before the kill must be there with its value, and the index must
 * keep increasing. Three rounds on the same data dir.
 */
@ExtendWith(DumpLogsOnFailure.class)
class KillNineIT {
  private static final Logger log = LoggerFactory.getLogger(KillNineIT.class);

  static final int WRITERS = 16;
  static final int ROUNDS = 3;
  static final Duration LOAD = Duration.ofMillis(2500);

  static ServerProcess server;

  @BeforeAll
  static void start() {
    server = ServerProcess.start(ServerKind.underTest(), "kill9");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void acknowledgedWritesSurviveKill9_threeRounds() throws Exception {
    Map<String, String> allAcked = new HashMap<>();
    long lastIndexSeen = server.client().currentIndex();
    for (int round = 1; round <= ROUNDS; round++) {
      Map<String, String> acked = new ConcurrentHashMap<>();
      AtomicLong maxAckedIndex = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      EtcdV2Http http = new EtcdV2Http(server.baseUrl(), Duration.ofSeconds(3));
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < WRITERS; t++) {
        String prefix = "/k/" + round + "t" + t + "-";
        Thread w =
            new Thread(
                () -> {
                  for (int n = 0; !stop.get(); n++) {
                    try {
                      EtcdV2Http.Reply r = http.put(prefix + n, "value=" + n);
                      if (r.status() == 200 || r.status() == 201) {
                        acked.put(prefix + n, Integer.toString(n));
                        maxAckedIndex.accumulateAndGet(r.etcdIndex(), Math::max);
                      }
                    } catch (RuntimeException e) {
                      ServerProcess.sleep(20);
                    }
                  }
                },
                "writer-" + t);
        w.setDaemon(true);
        writers.add(w);
        w.start();
      }
      Thread.sleep(LOAD.toMillis());
      int ackedBeforeKill = acked.size();
      server.kill9();
      Map<String, String> snapshot = new HashMap<>(acked);
      stop.set(true);
      for (Thread w : writers) {
        w.join(10_000);
      }
      assertThat(ackedBeforeKill)
          .as("round %d: writes acknowledged under load", round)
          .isPositive();
      // Writes acknowledged after kill9 returned are impossible; take the map as of the kill.
      allAcked.putAll(snapshot);

      server.restart();
      Map<String, String> stored = readAll(server.baseUrl());
      List<String> lost = new ArrayList<>();
      for (Map.Entry<String, String> e : allAcked.entrySet()) {
        if (!e.getValue().equals(stored.get(e.getKey()))) {
          lost.add(e.getKey() + "=" + e.getValue() + " (found " + stored.get(e.getKey()) + ")");
        }
      }
      assertThat(lost)
          .as(
              "round %d: acknowledged writes missing or wrong after kill -9 and restart (%d"
                  + " acknowledged in total)",
              round, allAcked.size())
          .isEmpty();
      long afterRestart = server.client().currentIndex();
      assertThat(afterRestart)
          .as("round %d: index after restart vs highest acknowledged write index", round)
          .isGreaterThanOrEqualTo(maxAckedIndex.get())
          .isGreaterThanOrEqualTo(lastIndexSeen);
      EtcdV2Http.Reply next = server.client().put("/k/after-round-" + round, "value=x");
      assertThat(next.status()).as("round %d: write after restart", round).isEqualTo(201);
      assertThat(next.etcdIndex())
          .as("round %d: the index keeps increasing", round)
          .isGreaterThan(afterRestart);
      lastIndexSeen = next.etcdIndex();
      log.info(
          "KillNineIT round {}: {} writes acknowledged before kill -9, {} checked in total, index"
              + " {} -> {} after restart",
          round,
          ackedBeforeKill,
          allAcked.size(),
          maxAckedIndex.get(),
          next.etcdIndex());
    }
  }

  /** Every key under /k with its value (one recursive GET, retried while the server settles). */
  private static Map<String, String> readAll(URI base) {
    EtcdV2Http http = new EtcdV2Http(base, Duration.ofSeconds(20));
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        EtcdV2Http.Reply r = http.get("/k?recursive=true");
        assertThat(r.status()).as("GET /k?recursive=true after restart: %s", r).isEqualTo(200);
        Map<String, String> out = new HashMap<>();
        collect(r.json().path("node"), out);
        return out;
      } catch (RuntimeException e) {
        last = e;
        ServerProcess.sleep(300);
      }
    }
    throw new AssertionError("cannot read /k after restart", last);
  }

  private static void collect(JsonNode node, Map<String, String> out) {
    if (node.has("value")) {
      out.put(node.path("key").asText(), node.path("value").asText());
    }
    for (JsonNode c : node.path("nodes")) {
      collect(c, out);
    }
  }
}
