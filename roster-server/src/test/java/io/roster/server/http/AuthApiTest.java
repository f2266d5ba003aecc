package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /v2/auth/*} end to end, against what etcd 3.4.23 answers on a fresh cluster with auth
 * disabled (§14; every expected body below was observed on the real binary).
 */
class AuthApiTest {
  private static final String CLUSTER = "70f9cf875eabdc0b";
  private static final String ROOT =
      "{\"role\":\"root\",\"permissions\":{\"kv\":{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}";
  private TestServer s;

  @BeforeEach
  void start() throws IOException {
    s = new TestServer();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private RawHttp.Response send(String method, String target, String json) throws IOException {
    return s.exchange(
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + json.length()
            + "\r\n\r\n"
            + json);
  }

  private static void assertJson(RawHttp.Response r, int status, String body) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("X-Etcd-Cluster-Id")).isEqualTo(CLUSTER);
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(r.header("Connection")).isNull();
  }

  private static void assertMessage(RawHttp.Response r, int status, String message) {
    assertJson(r, status, "{\"message\":\"" + message + "\"}");
  }

  @Test
  void get_enableUsersRolesOfAFreshCluster() throws IOException {
    assertJson(s.get("/v2/auth/enable"), 200, "{\"enabled\":false}\n");
    assertJson(s.get("/v2/auth/users"), 200, "{\"users\":null}\n");
    assertJson(s.get("/v2/auth/roles"), 200, "{\"roles\":[" + ROOT + "]}\n");
    assertJson(s.get("/v2/auth/users/"), 200, "{\"users\":null}\n");
    assertJson(s.get("/v2/auth/roles/"), 200, "{\"roles\":[" + ROOT + "]}\n");
  }

  @Test
  void get_rootRoleAndMissingUsersAndRoles() throws IOException {
    assertJson(s.get("/v2/auth/roles/root"), 200, ROOT + "\n");
    assertJson(s.get("/v2/auth/roles/root/"), 200, ROOT + "\n");
    assertMessage(s.get("/v2/auth/roles/guest"), 404, "auth: Role guest does not exist.");
    assertMessage(s.get("/v2/auth/users/x"), 404, "auth: User x does not exist.");
    assertMessage(s.get("/v2/auth/users/root"), 404, "auth: User root does not exist.");
    assertMessage(s.get("/v2/auth/users/x/"), 404, "auth: User x does not exist.");
  }

  @Test
  void get_namesAreGoEscapedWithInvalidUtf8AsReplacement() throws IOException {
    assertMessage(s.get("/v2/auth/users/%ff%3C"), 404, "auth: User \\ufffd\\u003c does not exist.");
    assertMessage(s.get("/v2/auth/roles/%ff%3C"), 404, "auth: Role \\ufffd\\u003c does not exist.");
  }

  @Test
  void extraSegmentsAreInvalidPathWithoutClusterIdWhateverTheMethod() throws IOException {
    for (String target : new String[] {"/v2/auth/users/a/b", "/v2/auth/roles/a/b"}) {
      for (String method : new String[] {"GET", "PATCH", "DELETE"}) {
        RawHttp.Response r = s.exchange(method + " " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"message\":\"Invalid path\"}");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("X-Etcd-Cluster-Id")).isNull();
      }
    }
    assertThat(s.get("/v2/auth/users/a%2Fb").body()).isEqualTo("{\"message\":\"Invalid path\"}");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "HEAD, /v2/auth/enable, 'GET,PUT,DELETE'",
    "POST, /v2/auth/enable, 'GET,PUT,DELETE'",
    "PATCH, /v2/auth/enable, 'GET,PUT,DELETE'",
    "HEAD, /v2/auth/users, GET",
    "POST, /v2/auth/users, GET",
    "PUT, /v2/auth/users, GET",
    "DELETE, /v2/auth/users, GET",
    "PUT, /v2/auth/roles, GET",
    "PUT, /v2/auth/roles/, GET",
    "POST, /v2/auth/users/x, 'GET,PUT,DELETE'",
    "HEAD, /v2/auth/roles/root, 'GET,PUT,DELETE'",
    "POST, /v2/auth/roles/x, 'GET,PUT,DELETE'"
  })
  void otherMethods_are405WithEtcdAllowAndNoClusterId(String method, String target, String allow)
      throws IOException {
    String request = method + " " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
    RawHttp.Response r;
    try (RawHttp c = s.connect()) {
      r = c.send(request).read(method.equals("HEAD"));
    }
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).isEqualTo(allow);
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.header("Content-Length")).isEqualTo("19");
    assertThat(r.header("X-Etcd-Cluster-Id")).isNull();
    if (!method.equals("HEAD")) {
      assertThat(r.body()).isEqualTo("Method Not Allowed\n");
    }
  }

  @Test
  void unregisteredAuthPathsAre404Text() throws IOException {
    for (String target :
        new String[] {"/v2/auth", "/v2/auth/", "/v2/auth/foo", "/v2/auth/enable/"}) {
      RawHttp.Response r = s.get(target);
      assertThat(r.status()).as(target).isEqualTo(404);
      assertThat(r.body()).isEqualTo("404 page not found\n");
    }
  }

  @Test
  void collections_malformedQueryIsInternalServerError() throws IOException {
    assertMessage(s.get("/v2/auth/users?%zz"), 500, "Internal Server Error");
    assertMessage(s.get("/v2/auth/roles?a;b"), 500, "Internal Server Error");
    assertJson(s.get("/v2/auth/enable?%zz"), 200, "{\"enabled\":false}\n");
    assertMessage(s.get("/v2/auth/users/x?%zz"), 404, "auth: User x does not exist.");
    assertJson(s.get("/v2/auth/roles/root?%zz"), 200, ROOT + "\n");
  }

  @Test
  void enable_putAndDeleteAreEtcdsConflicts() throws IOException {
    assertMessage(
        send("PUT", "/v2/auth/enable", ""), 409, "auth: No root user available, please create one");
    assertMessage(
        send("PUT", "/v2/auth/enable", "{\"x\":1}"),
        409,
        "auth: No root user available, please create one");
    assertMessage(send("DELETE", "/v2/auth/enable", ""), 409, "auth: already disabled");
  }

  @Test
  void delete_unknownUsersAndRolesAndRoot() throws IOException {
    assertMessage(send("DELETE", "/v2/auth/users/x", ""), 404, "auth: User x does not exist");
    assertMessage(send("DELETE", "/v2/auth/users/root", ""), 404, "auth: User root does not exist");
    assertMessage(send("DELETE", "/v2/auth/roles/x", ""), 404, "auth: Role x doesn't exist.");
    assertMessage(
        send("DELETE", "/v2/auth/roles/root", ""),
        403,
        "auth: Cannot modify role root: is root role.");
  }

  @Test
  void putUser_etcdsDeterministicAnswers() throws IOException {
    String bad = "Invalid JSON in request body.";
    assertMessage(send("PUT", "/v2/auth/users/x", ""), 400, bad);
    assertMessage(send("PUT", "/v2/auth/users/x", "{bad"), 400, bad);
    assertMessage(send("PUT", "/v2/auth/users/x", "[]"), 400, bad);
    assertMessage(send("PUT", "/v2/auth/users/x", "{\"user\":5}"), 400, bad);
    assertMessage(
        send("PUT", "/v2/auth/users/x", "{\"user\":\"y\"}"),
        400,
        "User JSON name does not match the name in the URL");
    assertMessage(
        send("PUT", "/v2/auth/users/x", "null"),
        400,
        "User JSON name does not match the name in the URL");
    assertMessage(
        send("PUT", "/v2/auth/users/x", "{\"user\":\"x\"}"),
        400,
        "auth: Cannot create user x with an empty password");
    assertMessage(
        send("PUT", "/v2/auth/users/x", "{\"USER\":\"x\",\"roles\":[\"r\"]}"),
        400,
        "auth: Cannot create user x with an empty password");
    assertMessage(
        send("PUT", "/v2/auth/users/x", "{\"user\":\"x\",\"grant\":[\"r\"],\"password\":\"p\"}"),
        404,
        "auth: User x does not exist.");
    assertMessage(
        send("PUT", "/v2/auth/users/x", "{\"user\":\"x\",\"revoke\":[\"r\"],\"roles\":[\"a\"]}"),
        400,
        "User JSON contains both roles and grant/revoke");
  }

  @Test
  void putRole_etcdsDeterministicAnswers() throws IOException {
    assertMessage(send("PUT", "/v2/auth/roles/x", ""), 400, "Invalid JSON in request body.");
    assertMessage(
        send("PUT", "/v2/auth/roles/x", "{\"role\":5}"), 400, "Invalid JSON in request body.");
    assertMessage(
        send("PUT", "/v2/auth/roles/x", "{\"role\":\"y\"}"),
        400,
        "Role JSON name does not match the name in the URL");
    assertMessage(
        send("PUT", "/v2/auth/roles/root", "{\"role\":\"root\"}"),
        403,
        "auth: Cannot modify role root: is root role.");
    assertMessage(
        send(
            "PUT",
            "/v2/auth/roles/root",
            "{\"role\":\"root\",\"grant\":{\"kv\":{\"read\":[\"/a\"]}}}"),
        403,
        "auth: Cannot modify role root: is root role.");
    assertMessage(
        send("PUT", "/v2/auth/roles/x", "{\"ROLE\":\"x\",\"Grant\":{\"KV\":{\"Read\":[\"/a\"]}}}"),
        404,
        "auth: Role x does not exist.");
    assertMessage(
        send(
            "PUT",
            "/v2/auth/roles/x",
            "{\"role\":\"x\",\"revoke\":{\"kv\":{\"write\":[\"/a\"]}},"
                + "\"permissions\":{\"kv\":{\"read\":[\"/b\"]}}}"),
        400,
        "Role JSON contains both permissions and grant/revoke");
  }

  @Test
  void mutationsEtcdWouldCarryOutAre501() throws IOException {
    String unsupported = "auth: not supported by this Roster version";
    assertMessage(
        send("PUT", "/v2/auth/users/x", "{\"user\":\"x\",\"password\":\"p\",\"extra\":1}"),
        501,
        unsupported);
    assertMessage(
        send("PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"p\"}"),
        501,
        unsupported);
    assertMessage(send("PUT", "/v2/auth/roles/x", "{\"role\":\"x\"}"), 501, unsupported);
    assertMessage(
        send("PUT", "/v2/auth/roles/x", "{\"role\":\"x\",\"grant\":{\"kv\":{}}}"),
        501,
        unsupported);
    assertJson(s.get("/v2/auth/users"), 200, "{\"users\":null}\n");
  }

  @Test
  void options_isCorsOnly() throws IOException {
    RawHttp.Response r = s.exchange("OPTIONS /v2/auth/enable HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
  }
}
