package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.roster.client.RosterClient;
import io.roster.client.discovery.InstanceCache;
import io.roster.client.discovery.InstanceState;
import io.roster.client.discovery.Registration;
import io.roster.client.discovery.ServiceDiscovery;
import io.roster.client.discovery.ServiceInstance;
import io.roster.client.discovery.ServiceRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Java discovery and the seed blog post's node-etcd code side by side, against real Roster and real
 * etcd 3.4: an instance registered by the seed's {@code register.js} appears in the Java cache (as
 * an UP instance with the seed's empty host and port 3000) and leaves it when the node process dies
 * and its TTL runs out; an instance registered by Java appears in the seed's {@code discover.js}
 * with {@code hostname} and a string {@code port}, and a Java state change reaches it as a {@code
 * set}.
 */
@ExtendWith(DumpLogsOnFailure.class)
class SeedInteropIT {
  private static final Duration TTL = Duration.ofSeconds(2);
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

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void nodeRegistered_appearInTheJavaCache_andJavaRegistered_inTheNodeDiscoverer(ServerKind kind)
      throws Exception {
    SeedNode.requireInstalled();
    ServerProcess s = ServerProcess.start(kind, "seed-interop");
    server = s;
    RosterClient client =
        closing(
            RosterClient.builder()
                .endpoints(s.baseUrl())
                .requestTimeout(Duration.ofSeconds(3))
                .memberRefreshInterval(Duration.ZERO)
                .build());
    ServiceRegistry registry = closing(new ServiceRegistry(client));

    ServiceInstance java =
        new ServiceInstance(
            "service_a",
            "datacenter_x",
            "java-1",
            "10.0.0.7",
            8080,
            "http",
            2.0,
            "z1",
            Map.of("version", "2"),
            InstanceState.UP);
    Registration rj = registry.register(java, Duration.ofSeconds(10));

    InstanceCache cache = closing(new ServiceDiscovery(client).watch("service_a", "datacenter_x"));
    Recording rec = new Recording();
    cache.addListener(rec);

    LineProcess nodeRegister =
        closing(SeedNode.start("interop-register", "register.js", TTL, 500, s.baseUrl()));
    String nodeKey = SeedNode.registeredKey(nodeRegister);
    String nodeId = nodeKey.substring(nodeKey.lastIndexOf('/') + 1);
    assertThat(rec.next(WAIT)).isEqualTo("+" + nodeId);
    ServiceInstance fromNode =
        cache.instances().stream().filter(i -> i.id().equals(nodeId)).findFirst().orElseThrow();
    assertThat(fromNode)
        .isEqualTo(ServiceInstance.of("service_a", "datacenter_x", nodeId, "", 3000));

    LineProcess discover =
        closing(SeedNode.start("interop-discover", "discover.js", TTL, 500, s.baseUrl()));
    String initial =
        discover.awaitOrFail(
            0,
            l -> l.startsWith("instances initial "),
            WAIT,
            "discover.js printed no initial list");
    JsonNode seen = SeedNode.instances(initial);
    assertThat(seen.has(rj.key())).as("node discoverer lists the Java instance").isTrue();
    JsonNode javaValue = EtcdV2Http.JSON.readTree(seen.path(rj.key()).asText());
    assertThat(javaValue.path("hostname").asText()).isEqualTo("10.0.0.7");
    assertThat(javaValue.path("port").isTextual()).as("port stays a string").isTrue();
    assertThat(javaValue.path("port").asText()).isEqualTo("8080");
    assertThat(seen.has(nodeKey)).isTrue();

    int mark = discover.lines().size();
    rj.updateState(InstanceState.DRAINING);
    String changed =
        discover.awaitOrFail(
            mark,
            l ->
                l.startsWith("instances set ")
                    && SeedNode.instances(l).path(rj.key()).asText().contains("DRAINING"),
            WAIT,
            "node discoverer never saw the Java instance's state change");
    assertThat(SeedNode.instances(changed).has(nodeKey)).isTrue();
    assertThat(rec.next(WAIT)).isEqualTo("~java-1:DRAINING");

    nodeRegister.kill();
    assertThat(rec.next(TTL.plus(WAIT))).isEqualTo("-" + nodeId);
    assertThat(cache.instances()).containsExactly(java.withState(InstanceState.DRAINING));
    discover.awaitOrFail(
        mark,
        l -> l.startsWith("instances expire ") && !SeedNode.instances(l).has(nodeKey),
        TTL.plus(WAIT),
        "node discoverer never saw the node instance expire");
  }
}
