package io.roster.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.server.cluster.InitialCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members in process: writes are proposed straight into the leader's Raft server there, and
 * forwarded through the Raft client from followers, including after the leader is gone.
 */
class RosterClusterTest {
  private static final Pattern FORWARDED =
      Pattern.compile("(?m)^roster_raft_forwarded_proposals_total (\\S+)$");
  private static final Pattern PROPOSALS =
      Pattern.compile("(?m)^roster_raft_proposals_total (\\S+)$");

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<RosterServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(RosterServer::close);
  }

  private static final java.util.Set<Integer> HANDED_OUT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A free port not handed out before in this JVM (the OS may offer a just-closed one again). */
  private static int freePort() throws IOException {
    while (true) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (HANDED_OUT.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      }
    }
  }

  private final StringBuilder initialCluster = new StringBuilder();

  private void startThree() throws Exception {
    startThree(100_000);
  }

  private void startThree(long snapshotCount) throws Exception {
    List<ServerConfig> configs = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      URI peer = URI.create("http://127.0.0.1:" + freePort());
      initialCluster.append(initialCluster.length() == 0 ? "" : ",");
      initialCluster.append(name).append('=').append(peer);
    }
    InitialCluster initial = InitialCluster.parse(initialCluster.toString());
    for (String name : initial.names()) {
      configs.add(config(name, initial, "new", snapshotCount));
    }
    List<CompletableFuture<RosterServer>> starting = new ArrayList<>();
    configs.forEach(c -> starting.add(startAsync(c)));
    for (CompletableFuture<RosterServer> f : starting) {
      servers.add(f.get());
    }
  }

  private ServerConfig config(String name, InitialCluster initial, String state, long snapshots)
      throws IOException {
    URI client = URI.create("http://127.0.0.1:" + freePort());
    URI peer =
        URI.create(java.util.Objects.requireNonNull(initial.peerUrlsByName().get(name)).get(0));
    return new ServerConfig(
        name,
        dir.resolve(name),
        List.of(client),
        List.of(client),
        List.of(peer),
        List.of(peer),
        initial,
        state,
        "etcd-cluster",
        snapshots,
        Duration.ofSeconds(7),
        List.of("*"));
  }

  private static CompletableFuture<RosterServer> startAsync(ServerConfig config) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return RosterServer.start(config);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static String base(RosterServer s) {
    return "http://127.0.0.1:" + s.clientPorts().get(0);
  }

  private HttpResponse<String> put(RosterServer s, String key, String value) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base(s) + "/v2/keys" + key))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString("value=" + value))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private double metric(RosterServer s, Pattern p) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(base(s) + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = p.matcher(body);
    assertThat(m.find()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private RosterServer awaitLeader(List<RosterServer> among) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (RosterServer s : among) {
        if (s.cluster().raftState().equals("StateLeader")) {
          return s;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no leader");
  }

  @Test
  void writes_onLeaderGoLocal_onFollowersAreForwarded_andSurviveLeaderLoss() throws Exception {
    startThree();
    RosterServer leader = awaitLeader(servers);
    double forwardedByLeader = metric(leader, FORWARDED);
    for (RosterServer s : servers) {
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = put(s, "/k/" + s.config().name() + i, "v" + i);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).contains("\"key\":\"/k/" + s.config().name() + i + "\"");
      }
    }
    // Nothing the leader proposed while it led was forwarded (its own membership proposals from
    // before its election may have been).
    assertThat(metric(leader, FORWARDED)).isEqualTo(forwardedByLeader);
    assertThat(metric(leader, PROPOSALS)).isGreaterThanOrEqualTo(20);
    for (RosterServer s : servers) {
      if (s != leader) {
        assertThat(metric(s, FORWARDED)).isEqualTo(metric(s, PROPOSALS)).isGreaterThan(0);
      }
    }

    leader.close();
    servers.remove(leader);
    RosterServer next = awaitLeader(servers);
    for (RosterServer s : servers) {
      HttpResponse<String> r = put(s, "/after/" + s.config().name(), "x");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    double forwardedBefore = metric(next, FORWARDED);
    for (int i = 0; i < 10; i++) {
      assertThat(put(next, "/local/" + i, "y").statusCode()).isEqualTo(201);
    }
    assertThat(metric(next, FORWARDED)).isEqualTo(forwardedBefore);
  }

  @Test
  void follower_writesAgainAfterAnOutageOutlastedItsRaftClient() throws Exception {
    startThree();
    RosterServer leader = awaitLeader(servers);
    RosterServer follower = servers.stream().filter(s -> s != leader).findFirst().orElseThrow();
    List<ServerConfig> stopped = new ArrayList<>();
    for (RosterServer s : new ArrayList<>(servers)) {
      if (s != follower) {
        stopped.add(s.config());
        s.close();
        servers.remove(s);
      }
    }
    // Without a quorum the write fails with error 300 once the client has used up its retries.
    HttpResponse<String> failed = put(follower, "/outage", "lost");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).contains("\"errorCode\":300");

    List<CompletableFuture<RosterServer>> restarting = new ArrayList<>();
    for (ServerConfig c : stopped) {
      restarting.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return RosterServer.start(c);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    for (CompletableFuture<RosterServer> f : restarting) {
      servers.add(f.get());
    }
    awaitLeader(servers);
    HttpResponse<String> ok = put(follower, "/after", "back");
    if (ok.statusCode() != 201) {
      ok = put(follower, "/after", "back");
    }
    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(ok.body()).contains("\"value\":\"back\"");
  }

  private HttpResponse<String> send(RosterServer s, String method, String path, String json)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base(s) + path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(RosterServer s, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base(s) + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void eventually(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    AssertionError last = null;
    while (System.nanoTime() < deadline) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never: " + what, last);
  }

  @FunctionalInterface
  private interface Check {
    void run() throws Exception;
  }

  @Test
  void memberAdd_joinWithExisting_catchesUp_thenRemove_stopsIt() throws Exception {
    startThree();
    for (int i = 0; i < 30; i++) {
      assertThat(put(servers.get(i % 3), "/before/" + i, "v" + i).statusCode()).isEqualTo(201);
    }
    URI peer = URI.create("http://127.0.0.1:" + freePort());
    InitialCluster withD = InitialCluster.parse(initialCluster + ",d=" + peer);
    ServerConfig d = config("d", withD, "existing", 100_000);
    CompletableFuture<RosterServer> joining = startAsync(d);

    HttpResponse<String> added =
        send(servers.get(1), "POST", "/v2/members", "{\"peerURLs\":[\"" + peer + "\"]}");
    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(added.body()).contains("\"peerURLs\":[\"" + peer + "\"]");
    RosterServer joined = joining.get();
    servers.add(joined);
    String id = joined.cluster().self().id();
    assertThat(added.body()).startsWith("{\"id\":\"" + id + "\",\"name\":\"\"");

    eventually(
        "d caught up and published",
        () -> {
          assertThat(get(joined, "/v2/keys/before/29").body()).contains("\"value\":\"v29\"");
          for (RosterServer s : servers) {
            String members = get(s, "/v2/members").body();
            assertThat(members)
                .contains("\"name\":\"d\",\"peerURLs\":[\"" + peer + "\"],\"clientURLs\":[\"")
                .contains(base(joined));
          }
        });
    assertThat(joined.cluster().clusterId()).isEqualTo(servers.get(0).cluster().clusterId());
    assertThat(put(joined, "/from/d", "x").statusCode()).isEqualTo(201);
    eventually(
        "write made on d seen on a",
        () -> assertThat(get(servers.get(0), "/v2/keys/from/d").statusCode()).isEqualTo(200));

    HttpResponse<String> removed = send(servers.get(0), "DELETE", "/v2/members/" + id, "");
    assertThat(removed.statusCode()).isEqualTo(204);
    joined.awaitTermination();
    servers.remove(joined);
    assertThat(get(servers.get(2), "/v2/members").body()).doesNotContain(id);
    HttpResponse<String> again = send(servers.get(2), "DELETE", "/v2/members/" + id, "");
    assertThat(again.statusCode()).isEqualTo(410);
    assertThat(put(servers.get(2), "/after/removal", "y").statusCode()).isEqualTo(201);
  }

  @Test
  void removingTheLeader_electsAnotherAndStopsIt() throws Exception {
    startThree();
    RosterServer leader = awaitLeader(servers);
    RosterServer other = servers.stream().filter(s -> s != leader).findFirst().orElseThrow();
    String id = leader.cluster().self().id();
    assertThat(send(other, "DELETE", "/v2/members/" + id, "").statusCode()).isEqualTo(204);
    leader.awaitTermination();
    servers.remove(leader);
    RosterServer next = awaitLeader(servers);
    assertThat(next).isNotSameAs(leader);
    for (RosterServer s : servers) {
      assertThat(put(s, "/after/" + s.config().name(), "z").statusCode()).isEqualTo(201);
      assertThat(get(s, "/v2/members").body()).doesNotContain(id);
    }
  }

  private static java.time.Instant expiration(String body) {
    Matcher m = Pattern.compile("\"expiration\":\"([^\"]+)\"").matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return java.time.Instant.parse(m.group(1));
  }

  @Test
  void ttl_isNotMassExpiredAfterALeaderlessOutage() throws Exception {
    startThree();
    RosterServer survivor = servers.get(0);
    HttpResponse<String> ttl = put(survivor, "/lease?ttl=8", "held");
    assertThat(ttl.statusCode()).isEqualTo(201);
    java.time.Instant before = expiration(ttl.body());
    List<ServerConfig> stopped = new ArrayList<>();
    for (RosterServer s : new ArrayList<>(servers)) {
      if (s != survivor) {
        stopped.add(s.config());
        s.close();
        servers.remove(s);
      }
    }
    Thread.sleep(10_000); // longer than the TTL: no leader, so nobody could refresh it
    servers.add(startAsync(stopped.get(0)).get());
    awaitLeader(servers);
    HttpResponse<String> marker = put(survivor, "/marker", "m");
    assertThat(marker.statusCode()).as(marker.body()).isEqualTo(201);
    HttpResponse<String> still = get(survivor, "/v2/keys/lease");
    assertThat(still.statusCode()).as(still.body()).isEqualTo(200);
    assertThat(still.body()).contains("\"value\":\"held\"");
    assertThat(Duration.between(before, expiration(still.body())))
        .as("the deadline moved by the leaderless time")
        .isGreaterThan(Duration.ofSeconds(8));
    assertThat(survivor.stateMachine().postponedNanos())
        .isGreaterThan(Duration.ofSeconds(8).toNanos());
    // Refreshed with a short TTL and then left alone, it expires as usual.
    HttpResponse<String> refreshed = put(survivor, "/lease?ttl=1&refresh=true&prevExist=true", "");
    assertThat(refreshed.statusCode()).isEqualTo(200);
    eventually(
        "the lease expires once nobody refreshes it",
        () -> assertThat(get(survivor, "/v2/keys/lease?quorum=true").statusCode()).isEqualTo(404));
  }

  @Test
  void laggingMember_catchesUpThroughSnapshotInstall() throws Exception {
    startThree(50);
    RosterServer leader = awaitLeader(servers);
    RosterServer lagging = servers.stream().filter(s -> s != leader).findFirst().orElseThrow();
    ServerConfig laggingConfig = lagging.config();
    lagging.close();
    servers.remove(lagging);
    // Sequential writes, one entry each: past the purge gap (1024 entries), and 4 KiB values so
    // that the log spans several closed 1 MiB segments that a snapshot lets the leader purge.
    String pad = "p".repeat(4096);
    for (int i = 0; i < 1500; i++) {
      HttpResponse<String> r = put(leader, "/bulk/" + i, "v" + i + pad);
      for (int attempt = 0; attempt < 3 && r.statusCode() == 500; attempt++) {
        // A leader change on a loaded machine fails the write in flight (error 300); a set is
        // safe to repeat.
        r = put(leader, "/bulk/" + i, "v" + i + pad);
      }
      assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }
    RosterServer back = startAsync(laggingConfig).get();
    servers.add(back);
    eventually(
        "the lagging member has every write",
        () -> {
          assertThat(get(back, "/v2/keys/bulk/1499").body()).contains("\"value\":\"v1499p");
          assertThat(get(back, "/v2/keys/bulk?recursive=true&sorted=true").body())
              .isEqualTo(get(leader, "/v2/keys/bulk?recursive=true&sorted=true").body());
        });
    assertThat(back.stateMachine().installedSnapshots())
        .as("caught up through a snapshot from the leader, not the log")
        .isGreaterThan(0);
  }

  private static long modifiedIndex(String body) {
    Matcher m = Pattern.compile("\"modifiedIndex\":(\\d+)").matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void watchOnAFollower_seesWritesMadeElsewhere_andQuorumReadsSeeTheLatestWrite() throws Exception {
    startThree();
    RosterServer leader = awaitLeader(servers);
    List<RosterServer> followers = servers.stream().filter(s -> s != leader).toList();
    RosterServer watching = followers.get(0);
    RosterServer writing = followers.get(1);
    CompletableFuture<HttpResponse<String>> watch =
        http.sendAsync(
            HttpRequest.newBuilder(
                    URI.create(base(watching) + "/v2/keys/w?wait=true&recursive=true"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    eventually(
        "the watch is registered",
        () -> assertThat(watching.stateMachine().store().stats().watchers()).isEqualTo(1));
    HttpResponse<String> written = put(writing, "/w/k", "from-another-member");
    assertThat(written.statusCode()).isEqualTo(201);
    HttpResponse<String> event = watch.get();
    assertThat(event.body()).contains("\"value\":\"from-another-member\"");
    assertThat(modifiedIndex(event.body())).isEqualTo(modifiedIndex(written.body()));

    for (int i = 0; i < 20; i++) {
      RosterServer writer = servers.get(i % 3);
      RosterServer reader = servers.get((i + 1) % 3);
      HttpResponse<String> w = put(writer, "/q", "v" + i);
      assertThat(w.statusCode()).isIn(200, 201);
      HttpResponse<String> r = get(reader, "/v2/keys/q?quorum=true");
      assertThat(r.body()).as("quorum read on another member").contains("\"value\":\"v" + i + "\"");
      assertThat(modifiedIndex(r.body())).isEqualTo(modifiedIndex(w.body()));
    }
  }
}
