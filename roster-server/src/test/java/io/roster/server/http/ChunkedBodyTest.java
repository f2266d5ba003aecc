package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Chunked request bodies end to end, against etcd 3.4.23's observed answers: framing errors in a
 * keys form are 210 with Go's error as cause and close the connection; elsewhere the request is
 * handled as if the body were empty (members: 400 with Go's text, auth: invalid JSON) and the
 * connection is closed after it.
 */
class ChunkedBodyTest {
  private static final String CLUSTER = "70f9cf875eabdc0b";
  private TestServer s;

  @BeforeEach
  void start() throws IOException {
    s = new TestServer();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private static String head(String method, String target, String contentType) {
    return method
        + " "
        + target
        + " HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Type: "
        + contentType
        + "\r\n\r\n";
  }

  private static String form(String method) {
    return head(method, "/v2/keys/x", "application/x-www-form-urlencoded");
  }

  private static String error210(String cause) {
    return "{\"errorCode\":210,\"message\":\"Invalid POST form\",\"cause\":\""
        + cause
        + "\",\"index\":0}\n";
  }

  @Test
  void keysPut_badChunkSize_isEtcds210WithJsonHeadersAndClose() throws IOException {
    try (RawHttp c = s.connect()) {
      RawHttp.Response r = c.send(form("PUT") + "zz\r\nvalue=1\r\n0\r\n\r\n").read();
      assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
      assertThat(r.header("Content-Type")).isEqualTo("application/json");
      assertThat(r.header("X-Etcd-Cluster-Id")).isEqualTo(CLUSTER);
      assertThat(r.header("X-Etcd-Index")).isEqualTo("0");
      assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(r.body()).isEqualTo(error210("invalid byte in chunk length"));
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(s.get("/v2/keys/x").status()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bad size POST | POST | zz\\r\\nvalue=1\\r\\n0\\r\\n\\r\\n | invalid byte in chunk length",
        "leading space | PUT | \\s7\\r\\nvalue=1\\r\\n0\\r\\n\\r\\n | invalid byte in chunk length",
        "space before ext | PUT | 7 ;a=b\\r\\nvalue=1\\r\\n0\\r\\n\\r\\n | invalid byte in chunk length",
        "sign | PUT | +7\\r\\nvalue=1\\r\\n0\\r\\n\\r\\n | invalid byte in chunk length",
        "0x | PUT | 0x7\\r\\nvalue=1\\r\\n0\\r\\n\\r\\n | invalid byte in chunk length",
        "17 digits | PUT | 00000000000000007\\r\\nvalue=1\\r\\n0\\r\\n\\r\\n"
            + " | http chunk length too large",
        "bad terminator | PUT | 7\\r\\nvalue=1XX\\r\\n0\\r\\n\\r\\n | malformed chunked encoding",
        "LF terminator | PUT | 7\\r\\nvalue=1\\n0\\r\\n\\r\\n | malformed chunked encoding",
        "bad size later | PUT | 7\\r\\nvalue=1\\r\\nzz\\r\\n | invalid byte in chunk length",
        "empty size line | PUT | \\r\\nvalue=1\\r\\n0\\r\\n\\r\\n"
            + " | malformed MIME header: missing colon: \\\"value=1\\\"",
        "bad trailer | PUT | 7\\r\\nvalue=1\\r\\n0\\r\\nbad trailer\\r\\n\\r\\n"
            + " | malformed MIME header: missing colon: \\\"bad trailer\\\"",
        "indented trailer | PUT | 7\\r\\nvalue=1\\r\\n0\\r\\n\\sx: y\\r\\n\\r\\n"
            + " | malformed MIME header initial line: \\sx: y"
      })
  void keysForm_malformedFraming_is210WithGosErrorAndClose(
      String label, String method, String body, String cause) throws IOException {
    try (RawHttp c = s.connect()) {
      RawHttp.Response r = c.send(form(method) + unescape(body)).read();
      assertThat(r.status()).as(label).isEqualTo(400);
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(r.body()).isEqualTo(error210(cause.replace("\\s", " ")));
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void keysForm_sizeLineOf4096BytesIsTooLong() throws IOException {
    try (RawHttp c = s.connect()) {
      RawHttp.Response r = c.send(form("PUT") + "7;" + "e".repeat(4092) + "\r\n").read();
      assertThat(r.body()).isEqualTo(error210("header line too long"));
      assertThat(r.header("Connection")).isEqualTo("close");
    }
    try (RawHttp c = s.connect()) {
      RawHttp.Response r =
          c.send(form("PUT") + "7;" + "e".repeat(4091) + "\r\nvalue=1\r\n0\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(201);
    }
  }

  @Test
  void keysForm_framingGoAccepts_isStoredAndConnectionKept() throws IOException {
    try (RawHttp c = s.connect()) {
      c.send(
          form("PUT")
              + "3;ext=1\r\nval\r\n0000000000000004 \r\nue=1\r\n0\r\nX-Trailer: t\r\n\r\n"
              + form("PUT")
              + "7\nvalue=2\r\n0\n\r\n"
              + "GET /v2/keys/x HTTP/1.1\r\nHost: h\r\n\r\n");
      RawHttp.Response first = c.read();
      assertThat(first.status()).isEqualTo(201);
      assertThat(first.body()).contains("\"value\":\"1\"");
      assertThat(first.header("Connection")).isNull();
      assertThat(c.read().body()).contains("\"value\":\"2\"");
      assertThat(c.read().body()).contains("\"action\":\"get\"").contains("\"value\":\"2\"");
    }
  }

  @Test
  void keysPut_nonFormBodyWithBadFraming_isHandledThenClosed() throws IOException {
    try (RawHttp c = s.connect()) {
      RawHttp.Response r =
          c.send(head("PUT", "/v2/keys/j", "application/json") + "zz\r\nvalue=1\r\n").read();
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.body()).contains("\"value\":\"\"");
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void otherPaths_badFraming_answeredThenClosed() throws IOException {
    try (RawHttp c = s.connect()) {
      RawHttp.Response r = c.send(head("GET", "/version", "text/plain") + "zz\r\n").read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Connection")).isEqualTo("close");
    }
    try (RawHttp c = s.connect()) {
      RawHttp.Response r = c.send(head("PUT", "/nope", "text/plain") + "zz\r\n").read();
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.body()).isEqualTo("404 page not found\n");
      assertThat(r.header("Connection")).isEqualTo("close");
    }
  }

  @Test
  void members_badFraming_is400WithGosText() throws IOException {
    try (RawHttp c = s.connect()) {
      RawHttp.Response r =
          c.send(head("POST", "/v2/members", "application/json") + "zz\r\n").read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("{\"message\":\"invalid byte in chunk length\"}");
      assertThat(r.header("X-Etcd-Cluster-Id")).isEqualTo(CLUSTER);
      assertThat(r.header("Connection")).isEqualTo("close");
    }
    try (RawHttp c = s.connect()) {
      RawHttp.Response r = c.send(head("POST", "/v2/members", "text/plain") + "zz\r\n").read();
      assertThat(r.status()).isEqualTo(415);
      assertThat(r.header("Connection")).isEqualTo("close");
    }
  }

  @Test
  void auth_badFraming_isInvalidJsonAndClose() throws IOException {
    try (RawHttp c = s.connect()) {
      RawHttp.Response r =
          c.send(head("PUT", "/v2/auth/roles/root", "application/json") + "zz\r\n").read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("{\"message\":\"Invalid JSON in request body.\"}");
      assertThat(r.header("Connection")).isEqualTo("close");
    }
    try (RawHttp c = s.connect()) {
      RawHttp.Response r =
          c.send(head("PUT", "/v2/auth/enable", "application/json") + "zz\r\n").read();
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.header("Connection")).isEqualTo("close");
    }
  }

  /** {@code \r}, {@code \n} and {@code \s} as written in the table above. */
  private static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\s", " ");
  }
}
