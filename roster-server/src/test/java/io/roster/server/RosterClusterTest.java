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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void startThree() throws Exception {
    List<String> names = List.of("a", "b", "c");
    List<URI> clients = new ArrayList<>();
    List<URI> peers = new ArrayList<>();
    StringBuilder initial = new StringBuilder();
    for (String name : names) {
      clients.add(URI.create("http://127.0.0.1:" + freePort()));
      URI peer = URI.create("http://127.0.0.1:" + freePort());
      peers.add(peer);
      initial.append(initial.length() == 0 ? "" : ",").append(name).append('=').append(peer);
    }
    List<CompletableFuture<RosterServer>> starting = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      ServerConfig config =
          new ServerConfig(
              names.get(i),
              dir.resolve(names.get(i)),
              List.of(clients.get(i)),
              List.of(clients.get(i)),
              List.of(peers.get(i)),
              List.of(peers.get(i)),
              InitialCluster.parse(initial.toString()),
              "new",
              "etcd-cluster",
              100_000,
              Duration.ofSeconds(7),
              List.of("*"));
      starting.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return RosterServer.start(config);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    for (CompletableFuture<RosterServer> f : starting) {
      servers.add(f.get());
    }
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
    for (RosterServer s : servers) {
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = put(s, "/k/" + s.config().name() + i, "v" + i);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).contains("\"key\":\"/k/" + s.config().name() + i + "\"");
      }
    }
    assertThat(metric(leader, FORWARDED)).isZero();
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
      assertThat(r.statusCode()).isEqualTo(201);
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
}
