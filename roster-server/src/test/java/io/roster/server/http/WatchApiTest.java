package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Long-poll and stream watches (§8) through a real server. */
class WatchApiTest {
  private TestServer s;

  @BeforeEach
  void start() throws IOException {
    s = new TestServer(HttpLimits.defaults().withWatchBacklog(4));
  }

  @AfterEach
  void stop() {
    s.close();
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(5));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("condition not met in time");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void longPoll_headersFlushedAtOnceThenOneEvent() throws Exception {
    s.request("PUT", "/v2/keys/other", "value=0");
    try (RawHttp w = s.connect()) {
      w.send("GET /v2/keys/w?wait=true HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Response head = w.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
      assertThat(head.header("X-Etcd-Index")).isEqualTo("1");
      assertThat(head.header("X-Raft-Index")).isNotNull();
      assertThat(head.header("Content-Type")).isEqualTo("application/json");
      RawHttp.Response put = s.request("PUT", "/v2/keys/w", "value=1");
      assertThat(w.readChunk()).isEqualTo(put.body());
      assertThat(w.readChunk()).isNull();
      w.send("GET /v2/keys/w HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(w.read().status()).isEqualTo(200);
    }
    await(() -> s.keys.store.stats().watchers() == 0);
  }

  @Test
  void longPoll_fromHistoryAnswersAtOnce() throws IOException {
    s.request("PUT", "/v2/keys/p", "value=1");
    s.request("PUT", "/v2/keys/q", "value=1");
    RawHttp.Response r = s.get("/v2/keys/p?wait=true&waitIndex=1");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("X-Etcd-Index")).isEqualTo("2");
    assertThat(r.body()).contains("\"key\":\"/p\"").endsWith("}\n");
  }

  @Test
  void longPoll_clearedHistoryIs401() throws Exception {
    for (int i = 0; i < 1005; i++) {
      s.keys.propose(new io.roster.server.raft.Command.Set("/h", false, "v", null, false)).join();
    }
    RawHttp.Response r = s.get("/v2/keys/h?wait=true&waitIndex=1");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("X-Etcd-Index")).isEqualTo("1005");
    assertThat(r.body()).contains("\"errorCode\":401").contains("[6/1]");
  }

  @Test
  void head_withWaitIsInvalid() throws IOException {
    RawHttp.Response r = s.exchange("HEAD /v2/keys/w?wait=true HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void stream_deliversEveryEventUntilClientLeaves() throws Exception {
    RawHttp w = s.connect();
    w.send("GET /v2/keys/s?wait=true&stream=true&recursive=true HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(w.readHead().status()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      RawHttp.Response put = s.request("PUT", "/v2/keys/s/" + i, "value=" + i);
      assertThat(w.readChunk()).isEqualTo(put.body());
    }
    assertThat(s.keys.store.stats().watchers()).isEqualTo(1);
    assertThat(s.registry.scrape()).contains("roster_http_watchers_active 1.0");
    w.close();
    await(() -> s.keys.store.stats().watchers() == 0);
    await(() -> s.registry.scrape().contains("roster_http_watchers_active 0.0"));
  }

  @Test
  void longPoll_abruptDisconnectRemovesWatcher() throws Exception {
    RawHttp w = s.connect();
    w.send("GET /v2/keys/gone?wait=true HTTP/1.1\r\nHost: x\r\n\r\n");
    w.readHead();
    await(() -> s.keys.store.stats().watchers() == 1);
    w.socket.setSoLinger(true, 0);
    w.close();
    await(() -> s.keys.store.stats().watchers() == 0);
    await(() -> s.registry.scrape().contains("roster_http_requests_in_flight 0.0"));
  }

  @Test
  void stream_slowClientOverflowDropsTheWatchAndTheConnection() throws Exception {
    s.close();
    s =
        new TestServer(
            HttpLimits.defaults()
                .withWatchBacklog(4)
                .withTimeouts(
                    Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMillis(500)));
    RawHttp w = s.connect();
    w.socket.setReceiveBufferSize(4096);
    w.send("GET /v2/keys/big?wait=true&stream=true HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(w.readHead().status()).isEqualTo(200);
    String value = "v".repeat(256 * 1024);
    for (int i = 0; i < 200 && s.keys.store.stats().watchers() > 0; i++) {
      s.request("PUT", "/v2/keys/big", "value=" + value);
    }
    await(() -> s.keys.store.stats().watchers() == 0);
    await(() -> s.registry.scrape().contains("roster_http_watchers_active 0.0"));
    // the client never reads: the server gives up on the rest of the stream after the idle timeout
    await(() -> s.server.openConnections() == 0);
    w.close();
  }
}
