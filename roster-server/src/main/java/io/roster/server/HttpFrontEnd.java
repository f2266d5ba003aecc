package io.roster.server;

import io.roster.server.http.ClusterView;
import io.roster.server.http.KeysBackend;
import java.io.IOException;
import java.util.List;

/** The HTTP listener's lifecycle as the daemon sees it. */
final class HttpFrontEnd implements AutoCloseable {
  private final List<Integer> ports;
  private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

  private HttpFrontEnd(List<Integer> ports) {
    this.ports = ports;
  }

  static HttpFrontEnd start(ServerConfig config, KeysBackend keys, ClusterView cluster)
      throws IOException {
    return new HttpFrontEnd(List.of());
  }

  List<Integer> ports() {
    return ports;
  }

  void awaitClose() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    closed.countDown();
  }
}
