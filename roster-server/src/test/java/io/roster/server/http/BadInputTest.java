package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Limits, malformed requests, timeouts and ordering (§11, Go's server behaviour). */
class BadInputTest {
  private TestServer s;

  @BeforeEach
  void start() throws IOException {
    s = new TestServer();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private void server(HttpLimits limits) throws IOException {
    s.close();
    s = new TestServer(limits);
  }

  @Test
  void put_declaredBodyFarOverLimitIs210AndCloseBeforeReading() throws IOException {
    server(HttpLimits.defaults());
    try (RawHttp c = s.connect()) {
      c.send(
          "PUT /v2/keys/big HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              + "Content-Length: "
              + ((10 << 20) + (256 << 10) + 1)
              + "\r\n\r\nvalue=");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(r.body())
          .isEqualTo(
              "{\"errorCode\":210,\"message\":\"Invalid POST form\","
                  + "\"cause\":\"http: POST too large\",\"index\":0}\n");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void post_chunkedBodyFarOverLimitIs210AndClose() throws IOException {
    server(HttpLimits.defaults().withBodyLimits(1000, 1000));
    try (RawHttp c = s.connect()) {
      c.send(
          "POST /v2/keys/q HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n");
      String chunk = "a".repeat(0x8000);
      for (int i = 0; i < 8; i++) {
        c.send("8000\r\n" + chunk + "\r\n");
      }
      c.send("3ea\r\n" + "a".repeat(1002));
      RawHttp.Response r = c.read();
      assertThat(r.body()).contains("http: POST too large");
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void put_bodyAtLimitIsAccepted() throws IOException {
    server(HttpLimits.defaults().withBodyLimits(1000, 1000));
    String body = "value=" + "a".repeat(994);
    RawHttp.Response r = s.request("PUT", "/v2/keys/fits", body);
    assertThat(r.status()).isEqualTo(201);
  }

  @Test
  void put_largeNonFormBodyIsDiscardedNotBuffered() throws IOException {
    server(HttpLimits.defaults().withBodyLimits(1000, 1000));
    String body = "x".repeat(100_000);
    RawHttp.Response r =
        s.exchange(
            "PUT /v2/keys/t?value=q HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body()).contains("\"value\":\"q\"");
  }

  @Test
  void get_oversizedHeadersAre431() throws IOException {
    server(HttpLimits.defaults());
    try (RawHttp c = s.connect()) {
      byte[] big = new byte[(1 << 20) + 8192];
      Arrays.fill(big, (byte) 'a');
      c.send(
          ("GET /version HTTP/1.1\r\nHost: x\r\nX-Big: "
                  + new String(big, StandardCharsets.ISO_8859_1)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      RawHttp.Response r = c.read();
      assertThat(r.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(r.body()).isEqualTo("431 Request Header Fields Too Large");
    } catch (java.net.SocketException e) {
      // the server may reset while the client is still sending; Go does the same
    }
  }

  @Test
  void get_headersJustUnderLimitAreAccepted() throws IOException {
    server(HttpLimits.defaults());
    RawHttp.Response r =
        s.exchange(
            "GET /version HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void malformedRequestLineIs400AndClose() throws IOException {
    server(HttpLimits.defaults());
    try (RawHttp c = s.connect()) {
      c.send("GET /ver sion HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
      assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
      assertThat(r.body()).isEqualTo("400 Bad Request");
    }
  }

  @Test
  void malformedPercentEncodingInPathIs400AndClose() throws IOException {
    server(HttpLimits.defaults());
    RawHttp.Response r = s.get("/v2/keys/x%zz");
    assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
    assertThat(r.body()).isEqualTo("400 Bad Request");
    assertThat(r.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void missingHostIs400() throws IOException {
    server(HttpLimits.defaults());
    RawHttp.Response r = s.exchange("GET /version HTTP/1.1\r\n\r\n");
    assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request: missing required Host header");
    assertThat(r.body()).isEqualTo("400 Bad Request: missing required Host header");
    assertThat(s.exchange("GET /version HTTP/1.0\r\n\r\n").statusLine())
        .isEqualTo("HTTP/1.0 200 OK");
  }

  @Test
  void asteriskTargetIs400WithClose() throws IOException {
    server(HttpLimits.defaults());
    RawHttp.Response r = s.exchange("GET * HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("Connection")).isEqualTo("close");
    assertThat(r.header("Content-Length")).isEqualTo("0");
  }

  @Test
  void slowloris_connectionClosedAfterHeaderTimeout() throws Exception {
    server(
        HttpLimits.defaults()
            .withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(60), Duration.ofSeconds(60)));
    try (RawHttp c = s.connect()) {
      c.send("GET /version HTTP/1.1\r\nHost: x\r\n");
      long start = System.nanoTime();
      assertThat(c.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void idle_keepAliveConnectionClosedButWatchIsNot() throws Exception {
    server(
        HttpLimits.defaults()
            .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMillis(300)));
    try (RawHttp c = s.connect();
        RawHttp w = s.connect()) {
      c.send("GET /version HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      w.send("GET /v2/keys/w?wait=true HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(w.readHead().status()).isEqualTo(200);
      assertThat(c.closedByServer()).isTrue();
      Thread.sleep(500);
      RawHttp.Response put = s.request("PUT", "/v2/keys/w", "value=1");
      assertThat(w.readChunk()).isEqualTo(put.body());
    }
  }

  @Test
  void pipelinedRequestsAnsweredInOrder() throws IOException {
    server(HttpLimits.defaults());
    try (RawHttp c = s.connect()) {
      c.send(
          "PUT /v2/keys/p?value=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
              + "GET /v2/keys/p HTTP/1.1\r\nHost: x\r\n\r\n"
              + "PUT /v2/keys/p?value=2 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
              + "DELETE /v2/keys/p HTTP/1.1\r\nHost: x\r\n\r\n"
              + "GET /v2/keys/p HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read().body()).startsWith("{\"action\":\"set\"").contains("\"value\":\"1\"");
      assertThat(c.read().body()).startsWith("{\"action\":\"get\"").contains("\"value\":\"1\"");
      assertThat(c.read().body()).startsWith("{\"action\":\"set\"").contains("\"value\":\"2\"");
      assertThat(c.read().body()).startsWith("{\"action\":\"delete\"");
      assertThat(c.read().status()).isEqualTo(404);
    }
  }

  @Test
  void connectionCapRefusesExtraConnections() throws Exception {
    server(HttpLimits.defaults().withMaxConnections(1));
    try (RawHttp first = s.connect()) {
      first.send("GET /version HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(first.read().status()).isEqualTo(200);
      try (RawHttp second = s.connect()) {
        RawHttp.Response r = second.read();
        assertThat(r.status()).isEqualTo(503);
      }
    }
    WatchApiTest.await(() -> s.server.openConnections() == 0);
    assertThat(s.get("/version").status()).isEqualTo(200);
  }

  @Test
  void expect100ContinueIsHonoured() throws IOException {
    server(HttpLimits.defaults());
    try (RawHttp c = s.connect()) {
      c.send(
          "PUT /v2/keys/e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
              + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\n");
      c.send("value=1");
      assertThat(c.read().status()).isEqualTo(201);
    }
  }
}
