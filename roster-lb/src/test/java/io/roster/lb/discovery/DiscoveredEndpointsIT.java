package io.roster.lb.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.roster.client.RosterClient;
import io.roster.client.discovery.InstanceCache;
import io.roster.client.discovery.InstanceState;
import io.roster.client.discovery.Registration;
import io.roster.client.discovery.ServiceDiscovery;
import io.roster.client.discovery.ServiceInstance;
import io.roster.client.discovery.ServiceRegistry;
import io.roster.lb.client.LbClient;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpTransport;
import io.roster.lb.pool.PoolSettings;
import io.roster.testkit.InProcessRoster;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** A client fed by a real registry: instances come, drain and go while requests flow. */
final class DiscoveredEndpointsIT {

  private static HttpServer backend(String name) throws Exception {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    s.createContext(
        "/",
        ex -> {
          byte[] body = name.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    s.start();
    return s;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(20);
    }
  }

  private static Set<String> answers(LbClient client, int n) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      seen.add(client.send(HttpRequest.get("/")).orTimeout(20, TimeUnit.SECONDS).join().bodyText());
    }
    return seen;
  }

  @Test
  void instancesFromRegistry_drainingOneGetsNoNewRequests() throws Exception {
    HttpServer a = backend("a");
    HttpServer b = backend("b");
    try (InProcessRoster roster = InProcessRoster.start("lb-discovery");
        RosterClient rc =
            RosterClient.builder()
                .endpoints(roster.clientUrl())
                .requestTimeout(Duration.ofSeconds(3))
                .memberRefreshInterval(Duration.ZERO)
                .build();
        ServiceRegistry registry = new ServiceRegistry(rc);
        HttpTransport transport = HttpTransport.newBuilder().build()) {
      Registration ra =
          registry.register(
              ServiceInstance.of("web", "dc1", "a", "127.0.0.1", a.getAddress().getPort()),
              Duration.ofSeconds(30));
      InstanceCache cache = new ServiceDiscovery(rc).watch("web");
      try (DiscoveredEndpoints source =
              DiscoveredEndpoints.from(cache, transport.scheduler(), Duration.ofMillis(100));
          LbClient client =
              LbClient.newBuilder(source)
                  .transport(transport)
                  .pool(PoolSettings.defaults().withWarmUp(1))
                  .build()) {
        await(() -> client.balancer().endpoints().size() == 1);
        assertThat(answers(client, 5)).containsExactly("a");

        Registration rb =
            registry.register(
                ServiceInstance.of("web", "dc1", "b", "127.0.0.1", b.getAddress().getPort()),
                Duration.ofSeconds(30));
        await(() -> client.balancer().endpoints().size() == 2);
        await(() -> answers(client, 20).containsAll(Set.of("a", "b")));

        ra.updateState(InstanceState.DRAINING);
        await(() -> client.balancer().endpoints().size() == 1);
        assertThat(answers(client, 20)).containsExactly("b");
        rb.close();
      } finally {
        cache.close();
      }
    } finally {
      a.stop(0);
      b.stop(0);
    }
  }
}
