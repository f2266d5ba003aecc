package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Members, machines, stats, version, health and metrics (§13). */
class EndpointsTest {
  private TestServer s;

  @BeforeEach
  void start() throws IOException {
    s = new TestServer();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private static final String SELF_JSON =
      "{\"id\":\"2943212f5e2cf73\",\"name\":\"default\",\"peerURLs\":[\"http://127.0.0.1:23802\"],"
          + "\"clientURLs\":[\"http://127.0.0.1:23792\"]}";

  @Test
  void version_etcdCompatible() throws IOException {
    RawHttp.Response r = s.get("/version");
    assertThat(r.body()).isEqualTo("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    RawHttp.Response post =
        s.exchange("POST /version HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).isEqualTo("GET");
  }

  @Test
  void health_healthyAndUnhealthy() throws IOException {
    RawHttp.Response ok = s.get("/health");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"health\":\"true\"}");
    assertThat(ok.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    s.cluster.healthy = false;
    RawHttp.Response bad = s.get("/health");
    assertThat(bad.status()).isEqualTo(503);
    assertThat(bad.body()).isEqualTo("{\"health\":\"false\"}\n");
  }

  @Test
  void members_listAndLeader() throws IOException {
    RawHttp.Response list = s.get("/v2/members");
    assertThat(list.body()).isEqualTo("{\"members\":[" + SELF_JSON + "]}\n");
    assertThat(list.header("X-Etcd-Cluster-Id")).isEqualTo("70f9cf875eabdc0b");
    assertThat(s.get("/v2/members/").body()).isEqualTo(list.body());
    assertThat(s.get("/v2/members/leader").body()).isEqualTo(SELF_JSON + "\n");
    s.cluster.leader = null;
    RawHttp.Response none = s.get("/v2/members/leader");
    assertThat(none.status()).isEqualTo(503);
    assertThat(none.body()).isEqualTo("{\"message\":\"During election\"}");
    assertThat(s.get("/v2/members/abc").body()).isEqualTo("{\"message\":\"Not found\"}");
  }

  @Test
  void members_changesAnswerLikeEtcd() throws IOException {
    RawHttp.Response del = s.exchange("DELETE /v2/members/abc HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(del.status()).isEqualTo(404);
    assertThat(del.body()).isEqualTo("{\"message\":\"No such member: abc\"}");
    assertThat(s.exchange("DELETE /v2/members/00abc HTTP/1.1\r\nHost: x\r\n\r\n").body())
        .isEqualTo("{\"message\":\"No such member: abc\"}");
    assertThat(s.exchange("DELETE /v2/members/zzz HTTP/1.1\r\nHost: x\r\n\r\n").body())
        .isEqualTo("{\"message\":\"No such member: zzz\"}");
    RawHttp.Response noId = s.exchange("DELETE /v2/members HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(noId.status()).isEqualTo(405);
    assertThat(noId.header("Allow")).isNull();
    RawHttp.Response patch = s.exchange("PATCH /v2/members HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(patch.header("Allow")).isEqualTo("GET,POST,DELETE,PUT");
    RawHttp.Response noJson =
        s.exchange("POST /v2/members HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assertThat(noJson.status()).isEqualTo(415);
    assertThat(noJson.body())
        .isEqualTo("{\"message\":\"Bad Content-Type , accept application/json\"}");
    String badUrl = "{\"peerURLs\":[\"notaurl\"]}";
    RawHttp.Response bad =
        s.exchange(
            "POST /v2/members HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + badUrl.length()
                + "\r\n\r\n"
                + badUrl);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body())
        .isEqualTo("{\"message\":\"URL scheme must be http, https, unix, or unixs: notaurl\"}");
    String taken = "{\"peerURLs\":[\"http://127.0.0.1:23802\"]}";
    RawHttp.Response conflict =
        s.exchange(
            "POST /v2/members HTTP/1.1\r\nHost: x\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: "
                + taken.length()
                + "\r\n\r\n"
                + taken);
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.body()).isEqualTo("{\"message\":\"membership: peerURL exists\"}");
  }

  private RawHttp.Response postMember(String body) throws IOException {
    return s.exchange(
        "POST /v2/members HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + body.length()
            + "\r\n\r\n"
            + body);
  }

  @Test
  void members_addUpdateRemove() throws IOException {
    RawHttp.Response added = postMember("{\"peerURLs\":[\"http://127.0.0.1:23809\"]}");
    assertThat(added.status()).isEqualTo(201);
    String id = Long.toHexString(s.cluster.newMemberId(List.of("http://127.0.0.1:23809")));
    assertThat(added.body())
        .isEqualTo(
            "{\"id\":\""
                + id
                + "\",\"name\":\"\",\"peerURLs\":[\"http://127.0.0.1:23809\"],\"clientURLs\":[]}\n");
    assertThat(added.header("Content-Type")).isEqualTo("application/json");
    assertThat(added.header("X-Etcd-Cluster-Id")).isEqualTo("70f9cf875eabdc0b");
    assertThat(s.get("/v2/members").body()).contains("\"id\":\"" + id + "\"");
    assertThat(postMember("{\"peerURLs\":[\"http://127.0.0.1:23809\"]}").status()).isEqualTo(409);

    String move = "{\"peerURLs\":[\"http://127.0.0.1:23810\"]}";
    RawHttp.Response updated =
        s.exchange(
            "PUT /v2/members/"
                + id
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + move.length()
                + "\r\n\r\n"
                + move);
    assertThat(updated.status()).isEqualTo(204);
    assertThat(updated.body()).isEmpty();
    assertThat(s.get("/v2/members").body()).contains("http://127.0.0.1:23810");

    RawHttp.Response removed =
        s.exchange("DELETE /v2/members/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(removed.status()).isEqualTo(204);
    assertThat(s.get("/v2/members").body()).doesNotContain(id);
    RawHttp.Response again =
        s.exchange("DELETE /v2/members/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(again.status()).isEqualTo(410);
    assertThat(again.body()).isEqualTo("{\"message\":\"Member permanently removed: " + id + "\"}");
    RawHttp.Response unknown = s.exchange("DELETE /v2/members/abc HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("{\"message\":\"No such member: abc\"}");
  }

  @Test
  void members_changeThatCannotCommit_isInternalServerError() throws IOException {
    s.cluster.commits = false;
    RawHttp.Response r = postMember("{\"peerURLs\":[\"http://127.0.0.1:23811\"]}");
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
  }

  @Test
  void machines_clientUrlsAsText() throws IOException {
    s.cluster.members = List.of(FakeClusterView.SELF, FakeClusterView.OTHER);
    RawHttp.Response r = s.get("/v2/machines");
    assertThat(r.body()).isEqualTo("http://127.0.0.1:23792, http://127.0.0.1:23793");
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(s.get("/v2/machines/").status()).isEqualTo(404);
  }

  @Test
  void stats_selfLeaderStore() throws IOException {
    RawHttp.Response self = s.get("/v2/stats/self");
    assertThat(self.body())
        .startsWith(
            "{\"name\":\"default\",\"id\":\"2943212f5e2cf73\",\"state\":\"StateLeader\","
                + "\"startTime\":\"2026-11-24T23:12:13.072205525Z\",\"leaderInfo\":{\"leader\":"
                + "\"2943212f5e2cf73\",\"uptime\":\"")
        .endsWith(
            "\"startTime\":\"2026-11-24T23:12:13.272941481Z\"},\"recvAppendRequestCnt\":0,"
                + "\"sendAppendRequestCnt\":0}");
    assertThat(self.header("X-Etcd-Cluster-Id")).isNull();
    assertThat(s.get("/v2/stats/leader").body())
        .isEqualTo("{\"leader\":\"2943212f5e2cf73\",\"followers\":{}}");
    s.cluster.leader = FakeClusterView.OTHER;
    RawHttp.Response notLeader = s.get("/v2/stats/leader");
    assertThat(notLeader.status()).isEqualTo(403);
    assertThat(notLeader.body()).isEqualTo("{\"message\":\"not current leader\"}");
    assertThat(s.get("/v2/stats/store").body())
        .startsWith("{\"getsSuccess\":")
        .endsWith(",\"watchers\":0}");
    assertThat(
            s.exchange("POST /v2/stats/store HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                .header("Allow"))
        .isEqualTo("GET");
  }

  @Test
  void metrics_prometheusTextWithHttpMeters() throws Exception {
    s.get("/version");
    // A request is counted when its response has left the server, which can be just after the
    // client has read it: scrape until the count shows, within a bound.
    java.util.regex.Pattern counted =
        java.util.regex.Pattern.compile(
            "(?m)^roster_http_requests_total\\{code=\"200\",method=\"GET\"} [1-9]");
    RawHttp.Response r = s.get("/metrics");
    for (int i = 0; i < 50 && !counted.matcher(r.body()).find(); i++) {
      Thread.sleep(20);
      r = s.get("/metrics");
    }
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body())
        .containsPattern(counted)
        .contains("roster_http_requests_in_flight")
        .contains("roster_http_connections_open");
  }
}
