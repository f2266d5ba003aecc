package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Go's {@code maxPostHandlerReadBytes} rule for the body a handler did not read: up to 256 KiB is
 * read and dropped and the connection kept, more and the answer says {@code Connection: close}.
 * Thresholds as observed on etcd 3.4.23 (form limit 10 MiB there, 1000 bytes here): a form body
 * exceeding the limit by {@code Content-Length} ≤ 262144 or by chunked ≤ 262145 bytes keeps the
 * connection; a body no handler reads keeps it below 262144 ({@code Content-Length}) or up to
 * 262144 (chunked) bytes.
 */
class UnreadBodyTest {
  private static final int LIMIT = 1000;
  private static final int MAX_UNREAD = 256 << 10;
  private static final String FORM_HEAD =
      "PUT /v2/keys/big HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n";
  private static final String TOO_LARGE =
      "{\"errorCode\":210,\"message\":\"Invalid POST form\",\"cause\":\"http: POST too large\","
          + "\"index\":0}\n";
  private static final String NEXT = "GET /version HTTP/1.1\r\nHost: x\r\n\r\n";
  private TestServer s;

  @BeforeEach
  void start() throws IOException {
    s = new TestServer(HttpLimits.defaults().withBodyLimits(LIMIT, LIMIT));
  }

  @AfterEach
  void stop() {
    s.close();
  }

  /** {@code n} body bytes as chunks of at most 32 KiB, optionally with the last chunk. */
  static String chunked(int n, boolean last) {
    StringBuilder b = new StringBuilder();
    int left = n;
    while (left > 0) {
      int size = Math.min(left, 0x8000);
      b.append(Integer.toHexString(size)).append("\r\n").append("a".repeat(size));
      left -= size;
      if (left > 0 || last) {
        b.append("\r\n");
      }
    }
    if (last) {
      b.append("0\r\n\r\n");
    }
    return b.toString();
  }

  private static void assertKeptAlive(RawHttp c) throws IOException {
    RawHttp.Response next = c.send(NEXT).read();
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.body()).contains("etcdserver");
  }

  @Test
  void form_contentLengthOverLimitWithin256KiB_isReadAndConnectionKept() throws IOException {
    try (RawHttp c = s.connect()) {
      int total = LIMIT + MAX_UNREAD;
      c.send(FORM_HEAD + "Content-Length: " + total + "\r\n\r\nvalue=" + "a".repeat(total - 6));
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).isEqualTo(TOO_LARGE);
      assertThat(r.header("Connection")).isNull();
      assertThat(r.header("X-Etcd-Cluster-Id")).isNotNull();
      assertKeptAlive(c);
    }
  }

  @Test
  void form_contentLengthOverLimitBy256KiBPlusOne_isAnsweredAtOnceAndClosed() throws IOException {
    try (RawHttp c = s.connect()) {
      c.send(FORM_HEAD + "Content-Length: " + (LIMIT + MAX_UNREAD + 1) + "\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.body()).isEqualTo(TOO_LARGE);
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void form_chunkedOverLimitBy256KiBPlusOne_isReadAndConnectionKept() throws IOException {
    try (RawHttp c = s.connect()) {
      c.send(
          FORM_HEAD + "Transfer-Encoding: chunked\r\n\r\n" + chunked(LIMIT + MAX_UNREAD + 1, true));
      RawHttp.Response r = c.read();
      assertThat(r.body()).isEqualTo(TOO_LARGE);
      assertThat(r.header("Connection")).isNull();
      assertKeptAlive(c);
    }
  }

  @Test
  void form_chunkedOverLimitBy256KiBPlusTwo_closes() throws IOException {
    try (RawHttp c = s.connect()) {
      c.send(
          FORM_HEAD
              + "Transfer-Encoding: chunked\r\n\r\n"
              + chunked(LIMIT + MAX_UNREAD + 2, false));
      RawHttp.Response r = c.read();
      assertThat(r.body()).isEqualTo(TOO_LARGE);
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void unreadBody_contentLengthBelow256KiB_isDroppedAndConnectionKept() throws IOException {
    try (RawHttp c = s.connect()) {
      int n = MAX_UNREAD - 1;
      c.send(
          "PUT /v2/keys/t?value=q HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
              + "Content-Length: "
              + n
              + "\r\n\r\n"
              + "x".repeat(n));
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.header("Connection")).isNull();
      assertKeptAlive(c);
    }
  }

  @Test
  void unreadBody_contentLength256KiB_isAnsweredAtOnceAndClosed() throws IOException {
    try (RawHttp c = s.connect()) {
      c.send("GET /version HTTP/1.1\r\nHost: x\r\nContent-Length: " + MAX_UNREAD + "\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void unreadBody_chunked256KiB_isDroppedAndConnectionKept() throws IOException {
    try (RawHttp c = s.connect()) {
      c.send(
          "POST /v2/stats/self HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + chunked(MAX_UNREAD, true));
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.header("Connection")).isNull();
      assertKeptAlive(c);
    }
  }

  @Test
  void unreadBody_chunked256KiBPlusOne_closes() throws IOException {
    try (RawHttp c = s.connect()) {
      c.send(
          "PUT /v2/keys/j HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n"
              + chunked(MAX_UNREAD + 1, false));
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }
}
