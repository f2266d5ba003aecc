package io.roster.server;

import io.roster.server.http.ClusterView;
import io.roster.server.http.Cors;
import io.roster.server.http.HttpApiServer;
import io.roster.server.http.HttpLimits;
import io.roster.server.http.KeysBackend;
import io.roster.server.metrics.ServerMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The HTTP listener's lifecycle as the daemon sees it: bind the client URLs, close, await. */
final class HttpFrontEnd implements AutoCloseable {
  private final HttpApiServer server;
  private final CountDownLatch closed = new CountDownLatch(1);

  private HttpFrontEnd(HttpApiServer server) {
    this.server = server;
  }

  static HttpFrontEnd start(
      ServerConfig config, KeysBackend keys, ClusterView cluster, ServerMetrics metrics)
      throws IOException {
    List<InetSocketAddress> listen = new ArrayList<>();
    for (URI u : config.listenClientUrls()) {
      listen.add(new InetSocketAddress(u.getHost(), u.getPort()));
    }
    Cors cors = config.cors().contains("*") ? Cors.allowAll() : Cors.of(config.cors());
    return new HttpFrontEnd(
        HttpApiServer.start(
            listen, keys, cluster, metrics.registry(), HttpLimits.defaults(), cors));
  }

  List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    server.boundAddresses().forEach(a -> ports.add(a.getPort()));
    return ports;
  }

  void awaitClose() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      closed.countDown();
    }
  }
}
