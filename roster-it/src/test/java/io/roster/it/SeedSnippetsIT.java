package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed blog post's node-etcd snippets (roster-it/src/test/node/register.js and discover.js,
 * completed minimally) run with node against Roster. {@code new Etcd()} talks to 127.0.0.1:2379, so
 * Roster is started on that port. The snippets read TTL and refresh interval from {@code
 * SEED_TTL_SECONDS} / {@code SEED_INTERVAL_MS} (blog defaults 60 s / 10 s); here 2 s / 0.5 s.
 *
 * <p>Checks: the discoverer's initial list holds the instances registered before it started; it
 * sees a later registration as {@code set}; and when one register process is killed (so it stops
 * refreshing) it sees that instance's {@code expire} and drops it.
 */
@ExtendWith(DumpLogsOnFailure.class)
class SeedSnippetsIT {
  static final int DEFAULT_PORT = 2379;
  static final Duration TTL = Duration.ofSeconds(2);

  private final List<LineProcess> children = new ArrayList<>();
  private @Nullable ServerProcess server;

  @AfterEach
  void stopAll() {
    for (LineProcess c : children) {
      c.kill();
    }
    if (server != null) {
      server.close();
    }
  }

  private LineProcess node(String name, String script) {
    LineProcess p = SeedNode.start(name, script, TTL, 500, null);
    children.add(p);
    return p;
  }

  /** Starts a register.js and returns its instance key (from its "Registered" line). */
  private String register(String name) {
    return SeedNode.registeredKey(node(name, "register.js"));
  }

  @Test
  void registerAndDiscover_initialListSetAndExpire() throws Exception {
    SeedNode.requireInstalled();
    assertThat(Ports.isFree(DEFAULT_PORT))
        .as(
            "port %d must be free: new Etcd() in the seed snippets uses 127.0.0.1:%d, so the"
                + " server is started there; stop whatever listens on it",
            DEFAULT_PORT, DEFAULT_PORT)
        .isTrue();
    server = ServerProcess.startOn(ServerKind.underTest(), "seed", DEFAULT_PORT);
    EtcdV2Http http = server.client();

    String a = register("register-a");
    String b = register("register-b");
    awaitRegistered(http, List.of(a, b));

    LineProcess discover = node("discover", "discover.js");
    String initial =
        discover.awaitOrFail(
            0,
            l -> l.startsWith("instances initial "),
            Duration.ofSeconds(15),
            "discoverer printed no initial list");
    assertThat(instances(initial).fieldNames()).toIterable().contains(a, b);
    assertThat(instances(initial).path(a).asText())
        .isEqualTo("{\"hostname\":\"\",\"port\":\"3000\"}");

    int mark = discover.lines().size();
    String c = register("register-c");
    String sawC =
        discover.awaitOrFail(
            mark,
            l -> l.startsWith("instances set ") && instances(l).has(c),
            Duration.ofSeconds(15),
            "discoverer never saw " + c + " being set");
    assertThat(instances(sawC).fieldNames()).toIterable().contains(a, b, c);

    mark = discover.lines().size();
    LineProcess registerA = children.get(0);
    registerA.kill();
    String expired =
        discover.awaitOrFail(
            mark,
            l -> l.startsWith("instances expire ") && !instances(l).has(a),
            TTL.plusSeconds(10),
            "discoverer never saw " + a + " expire after its register process was killed");
    assertThat(instances(expired).fieldNames()).toIterable().contains(b, c).doesNotContain(a);
    assertThat(http.get(a).status()).as("the killed instance's key is gone").isEqualTo(404);
    assertThat(discover.isAlive()).as("the discoverer keeps running").isTrue();
  }

  private static JsonNode instances(String line) {
    return SeedNode.instances(line);
  }

  private static void awaitRegistered(EtcdV2Http http, List<String> keys) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (keys.stream().allMatch(k -> http.get(k).status() == 200)) {
        return;
      }
      ServerProcess.sleep(50);
    }
    fail("instances %s not all registered within 10 s", keys);
  }
}
