package io.roster.server.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/** A real {@link HttpApiServer} on 127.0.0.1, port 0, over a fake backend and cluster. */
final class TestServer implements AutoCloseable {
  final FakeKeysBackend keys = new FakeKeysBackend();
  final FakeClusterView cluster = new FakeClusterView(() -> keys.store.stats());
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final HttpApiServer server;

  TestServer() throws IOException {
    this(HttpLimits.defaults());
  }

  TestServer(HttpLimits limits) throws IOException {
    server =
        HttpApiServer.start(
            List.of(new InetSocketAddress("127.0.0.1", 0)), keys, cluster, registry, limits);
  }

  InetSocketAddress address() {
    return server.boundAddresses().get(0);
  }

  RawHttp connect() throws IOException {
    return new RawHttp(address());
  }

  /** One request on a fresh connection; the response. */
  RawHttp.Response exchange(String request) throws IOException {
    try (RawHttp c = connect()) {
      return c.send(request).read(request.startsWith("HEAD "));
    }
  }

  RawHttp.Response get(String target) throws IOException {
    return exchange("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  RawHttp.Response request(String method, String target, String formBody) throws IOException {
    return exchange(
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: "
            + formBody.length()
            + "\r\n\r\n"
            + formBody);
  }

  @Override
  public void close() {
    server.close();
    keys.close();
  }
}
