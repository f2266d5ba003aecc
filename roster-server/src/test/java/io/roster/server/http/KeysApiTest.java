package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v2/keys} end to end through a real server on a real store. */
class KeysApiTest {
  private TestServer s;

  @BeforeEach
  void start() throws IOException {
    s = new TestServer();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  @Test
  void put_newKeyAnswers201WithEtcdHeaders() throws IOException {
    RawHttp.Response r = s.request("PUT", "/v2/keys/message", "value=Hello+world");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body())
        .isEqualTo(
            "{\"action\":\"set\",\"node\":{\"key\":\"/message\",\"value\":\"Hello world\","
                + "\"modifiedIndex\":1,\"createdIndex\":1}}\n");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("X-Etcd-Cluster-Id")).isEqualTo("70f9cf875eabdc0b");
    assertThat(r.header("X-Etcd-Index")).isEqualTo("1");
    assertThat(r.header("X-Raft-Index")).isNotNull();
    assertThat(r.header("X-Raft-Term")).isEqualTo("2");
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(r.header("Access-Control-Allow-Methods"))
        .isEqualTo("POST, GET, OPTIONS, PUT, DELETE");
    assertThat(r.header("Access-Control-Allow-Headers"))
        .isEqualTo("accept, content-type, authorization");
    assertThat(r.header("Date")).isNotNull();
    assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length()));
  }

  @Test
  void get_missingKeyIsStoreErrorWithoutRaftHeaders() throws IOException {
    s.request("PUT", "/v2/keys/a", "value=1");
    RawHttp.Response r = s.get("/v2/keys/nope");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body())
        .isEqualTo(
            "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/nope\",\"index\":1}\n");
    assertThat(r.header("X-Etcd-Index")).isEqualTo("1");
    assertThat(r.header("X-Etcd-Cluster-Id")).isEqualTo("70f9cf875eabdc0b");
    assertThat(r.header("X-Raft-Index")).isNull();
  }

  @Test
  void head_sameStatusAndLengthWithoutBody() throws IOException {
    s.request("PUT", "/v2/keys/h", "value=v");
    RawHttp.Response get = s.get("/v2/keys/h");
    try (RawHttp c = s.connect()) {
      c.send("HEAD /v2/keys/h HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Response head = c.read(true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length"));
      assertThat(head.header("X-Raft-Term")).isEqualTo("2");
      c.send("GET /v2/keys/h HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read().body()).isEqualTo(get.body());
    }
  }

  @Test
  void head_missingKeyKeepsErrorLength() throws IOException {
    RawHttp.Response r = s.exchange("HEAD /v2/keys/nope HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Length")).isEqualTo("70");
  }

  @Test
  void put_noValueOnSuccessAnswersActionOnly() throws IOException {
    RawHttp.Response r = s.request("PUT", "/v2/keys/n?noValueOnSuccess=true", "value=1");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("{\"action\":\"set\"}\n");
    RawHttp.Response d =
        s.exchange("DELETE /v2/keys/n?noValueOnSuccess=true HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(d.body()).startsWith("{\"action\":\"delete\",\"node\":");
  }

  @Test
  void put_bodyValueWinsOverQuery() throws IOException {
    RawHttp.Response r = s.request("PUT", "/v2/keys/prec?value=query&ttl=abc", "value=body&ttl=5");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body()).contains("\"value\":\"body\"").contains("\"ttl\":5");
  }

  @Test
  void put_jsonBodyIsNotParsed() throws IOException {
    RawHttp.Response r =
        s.exchange(
            "PUT /v2/keys/j HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 13\r\n\r\n{\"value\":\"x\"}");
    assertThat(r.body()).contains("\"value\":\"\"");
  }

  @Test
  void get_invalidBoolIsValidationErrorWithIndexZero() throws IOException {
    s.request("PUT", "/v2/keys/a", "value=1");
    RawHttp.Response r = s.get("/v2/keys/a?recursive=");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "{\"errorCode\":209,\"message\":\"Invalid field\","
                + "\"cause\":\"invalid value for \\\"recursive\\\"\",\"index\":0}\n");
    assertThat(r.header("X-Etcd-Index")).isEqualTo("0");
    assertThat(r.header("X-Raft-Index")).isNull();
  }

  @Test
  void get_malformedQueryEscapeIsFormError() throws IOException {
    RawHttp.Response r = s.get("/v2/keys/x?a=%zz");
    assertThat(r.body())
        .isEqualTo(
            "{\"errorCode\":210,\"message\":\"Invalid POST form\","
                + "\"cause\":\"invalid URL escape \\\"%zz\\\"\",\"index\":0}\n");
  }

  @Test
  void get_semicolonInQueryIsFormError() throws IOException {
    assertThat(s.get("/v2/keys/x?a=1;b=2").body())
        .contains("\"cause\":\"invalid semicolon separator in query\"");
  }

  @Test
  void put_malformedBodyEscapeIsFormError() throws IOException {
    assertThat(s.request("PUT", "/v2/keys/x", "value=%").body())
        .contains("\"errorCode\":210")
        .contains("invalid URL escape \\\"%\\\"");
  }

  @Test
  void put_invalidUtf8ReadsBackAsReplacementCharacters() throws IOException {
    RawHttp.Response r = s.request("PUT", "/v2/keys/%ff%fe", "value=%e4%b8");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body())
        .contains("\"key\":\"/\\ufffd\\ufffd\"")
        .contains("\"value\":\"\\ufffd\\ufffd\"");
    assertThat(s.get("/v2/keys/%ff%fe").status()).isEqualTo(200);
  }

  @Test
  void put_percentEncodedSlashAddressesNestedKey() throws IOException {
    s.request("PUT", "/v2/keys/a%2Fc", "value=1");
    assertThat(s.get("/v2/keys/a/c").status()).isEqualTo(200);
    assertThat(s.get("/v2/keys/a/c/").status()).isEqualTo(200);
  }

  @Test
  void post_createsInOrderKey() throws IOException {
    RawHttp.Response r = s.request("POST", "/v2/keys/queue", "value=Job1");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body()).contains("\"action\":\"create\"").contains("/queue/00000000000000000001");
  }

  @Test
  void put_rootIsReadOnly() throws IOException {
    RawHttp.Response r = s.request("PUT", "/v2/keys/", "value=1");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("\"errorCode\":107");
  }

  @Test
  void get_rootOfEmptyStore() throws IOException {
    assertThat(s.get("/v2/keys").body())
        .isEqualTo("{\"action\":\"get\",\"node\":{\"dir\":true}}\n");
    assertThat(s.get("/v2/keys/").body())
        .isEqualTo("{\"action\":\"get\",\"node\":{\"dir\":true}}\n");
  }

  @Test
  void delete_withPrevValueIsCompareAndDelete() throws IOException {
    s.request("PUT", "/v2/keys/c", "value=one");
    RawHttp.Response r = s.exchange("DELETE /v2/keys/c?prevValue=two HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isEqualTo(412);
    assertThat(r.body()).contains("[two != one]");
    r = s.exchange("DELETE /v2/keys/c?prevValue=one HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.body()).startsWith("{\"action\":\"compareAndDelete\"");
  }

  @Test
  void get_quorumReadsThroughTheBackend() throws IOException {
    s.request("PUT", "/v2/keys/q", "value=1");
    RawHttp.Response r = s.get("/v2/keys/q?quorum=true&wait=true");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).startsWith("{\"action\":\"get\"");
  }

  @Test
  void put_raftUnavailableIsError300() throws IOException {
    s.keys.failWrites("etcdserver: request timed out");
    RawHttp.Response r = s.request("PUT", "/v2/keys/x", "value=1");
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.body())
        .isEqualTo(
            "{\"errorCode\":300,\"message\":\"Raft Internal Error\","
                + "\"cause\":\"etcdserver: request timed out\",\"index\":0}\n");
    assertThat(r.header("X-Etcd-Index")).isEqualTo("0");
    assertThat(s.get("/v2/keys/x?quorum=true").status()).isEqualTo(500);
  }

  @Test
  void patch_isMethodNotAllowed() throws IOException {
    RawHttp.Response r =
        s.exchange("PATCH /v2/keys/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).isEqualTo("HEAD,GET,PUT,POST,DELETE");
    assertThat(r.header("X-Etcd-Cluster-Id")).isNull();
    assertThat(r.body()).isEqualTo("Method Not Allowed\n");
  }

  @Test
  void keysfoo_isNotFound() throws IOException {
    RawHttp.Response r = s.get("/v2/keysfoo");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.body()).isEqualTo("404 page not found\n");
  }

  @Test
  void get_uncleanPathRedirectsWithQuery() throws IOException {
    RawHttp.Response r = s.get("/v2/keys//a//b/?x=1&y=2");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("Location")).isEqualTo("/v2/keys/a/b/?x=1&y=2");
    assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(r.body())
        .isEqualTo("<a href=\"/v2/keys/a/b/?x=1&amp;y=2\">Moved Permanently</a>.\n\n");
  }

  @Test
  void put_uncleanPathRedirectsWithoutBody() throws IOException {
    RawHttp.Response r =
        s.exchange("PUT /v2/keys/a/../b?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("Location")).isEqualTo("/v2/keys/b?q=1");
    assertThat(r.header("Content-Type")).isNull();
    assertThat(r.body()).isEmpty();
    assertThat(s.get("/v2/keys/b").status()).isEqualTo(404);
  }

  @Test
  void get_encodedDoubleSlashRedirectsToDecodedPath() throws IOException {
    assertThat(s.get("/v2/keys/a%2F%2Fb").header("Location")).isEqualTo("/v2/keys/a/b");
    assertThat(s.get("/v2/keys/sp%20a/./c").header("Location")).isEqualTo("/v2/keys/sp%20a/c");
  }

  @Test
  void options_anyPathIsEmpty200WithCors() throws IOException {
    RawHttp.Response r = s.exchange("OPTIONS /nothing/../x HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(r.header("Content-Length")).isEqualTo("0");
  }

  @Test
  void put_overlongTtlIsRejected() throws IOException {
    RawHttp.Response r = s.request("PUT", "/v2/keys/t?ttl=18446744073709551615", "");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("\"errorCode\":202");
  }
}
