package io.roster.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.server.cluster.InitialCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real single-member server in process: Ratis on disk, Netty on loopback. */
class RosterServerTest {
  private static final Pattern MODIFIED = Pattern.compile("\"modifiedIndex\":(\\d+)");

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private @Nullable RosterServer server;

  @AfterEach
  void stop() {
    RosterServer s = server;
    if (s != null) {
      s.close();
    }
  }

  private RosterServer start(long snapshotCount) throws IOException {
    return RosterServer.start(config(dir.resolve("data"), "new", snapshotCount));
  }

  private static ServerConfig config(Path dataDir, String clusterState, long snapshotCount)
      throws IOException {
    URI clientUrl = URI.create("http://127.0.0.1:" + freePort());
    URI peerUrl = URI.create("http://127.0.0.1:" + freePort());
    return new ServerConfig(
        "default",
        dataDir,
        List.of(clientUrl),
        List.of(clientUrl),
        List.of(peerUrl),
        List.of(peerUrl),
        InitialCluster.parse("default=" + peerUrl),
        clusterState,
        "etcd-cluster",
        snapshotCount,
        Duration.ofSeconds(7),
        List.of("*"));
  }

  private RosterServer restart(RosterServer old) throws IOException {
    ServerConfig config = old.config();
    old.close();
    return RosterServer.start(config);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String base() {
    return "http://127.0.0.1:" + Objects.requireNonNull(server).clientPorts().get(0);
  }

  private HttpResponse<String> put(String key, String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + "/v2/keys" + key))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void put_thenGet_roundTripsWithHeaders() throws Exception {
    server = start(100_000);
    HttpResponse<String> put = put("/message", "value=Hello+world");
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(put.body())
        .startsWith("{\"action\":\"set\",\"node\":{\"key\":\"/message\",\"value\":\"Hello world\"");
    long index = Long.parseLong(put.headers().firstValue("X-Etcd-Index").orElseThrow());
    assertThat(put.headers().firstValue("X-Raft-Index")).isPresent();
    assertThat(put.headers().firstValue("X-Raft-Term")).isPresent();
    assertThat(put.headers().firstValue("X-Etcd-Cluster-Id")).isPresent();

    HttpResponse<String> got = get("/v2/keys/message");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body())
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"key\":\"/message\",\"value\":\"Hello world\",\"modifiedIndex\":"
                + index
                + ",\"createdIndex\":"
                + index
                + "}}\n");
    HttpResponse<String> quorum = get("/v2/keys/message?quorum=true");
    assertThat(quorum.body()).isEqualTo(got.body());
    assertThat(get("/v2/keys/missing?quorum=true").statusCode()).isEqualTo(404);
  }

  @Test
  void concurrentWrites_eachAnsweredWithItsOwnResultAndDistinctIndex() throws Exception {
    server = start(100_000);
    long before =
        Long.parseLong(get("/v2/keys/").headers().firstValue("X-Etcd-Index").orElseThrow());
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    int n = 400;
    for (int i = 0; i < n; i++) {
      all.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(base() + "/v2/keys/c/k" + i))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .PUT(HttpRequest.BodyPublishers.ofString("value=" + i))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    Set<Long> indexes = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = all.get(i).get();
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(r.body())
          .startsWith(
              "{\"action\":\"set\",\"node\":{\"key\":\"/c/k" + i + "\",\"value\":\"" + i + "\"");
      Matcher m = MODIFIED.matcher(r.body());
      assertThat(m.find()).isTrue();
      indexes.add(Long.parseLong(m.group(1)));
    }
    assertThat(indexes).hasSize(n);
    assertThat(indexes).allMatch(i -> i > before && i <= before + n);
  }

  @Test
  void ttl_expiresThroughTheLogAndWakesWatchers() throws Exception {
    server = start(100_000);
    assertThat(put("/eph", "value=x&ttl=1").statusCode()).isEqualTo(201);
    CompletableFuture<HttpResponse<String>> watch =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(base() + "/v2/keys/eph?wait=true")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> event = watch.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(event.body()).startsWith("{\"action\":\"expire\",\"node\":{\"key\":\"/eph\"");
    assertThat(get("/v2/keys/eph").statusCode()).isEqualTo(404);
  }

  @Test
  void restart_recoversEveryWriteFromLogAndSnapshot() throws Exception {
    server = start(50);
    for (int i = 0; i < 300; i++) {
      assertThat(put("/r/k" + i, "value=v" + i).statusCode()).isEqualTo(201);
    }
    assertThat(put("/r/ttl", "value=t&ttl=600").statusCode()).isEqualTo(201);
    String before = get("/v2/keys/r?recursive=true&sorted=true").body();
    server = restart(Objects.requireNonNull(server));
    HttpResponse<String> after = get("/v2/keys/r?recursive=true&sorted=true");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(stripTtl(after.body())).isEqualTo(stripTtl(before));
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("snapshot.")))
          .isNotEmpty();
    }
    HttpResponse<String> next = put("/r/next", "value=n");
    assertThat(next.statusCode()).isEqualTo(201);
    Matcher m = MODIFIED.matcher(next.body());
    assertThat(m.find()).isTrue();
    assertThat(Long.parseLong(m.group(1))).isGreaterThan(301);
  }

  @Test
  void raftFailure_stopsTheMemberInsteadOfServingAFrozenStore() throws Exception {
    RosterServer s = start(100_000);
    server = s;
    assertThat(put("/before", "value=1").statusCode()).isEqualTo(201);
    s.killRaftForTest();
    CompletableFuture<Void> stopped =
        CompletableFuture.runAsync(
            () -> {
              try {
                s.awaitTermination();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    stopped.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(s.failed()).isTrue();
  }

  @Test
  void largeValues_fitInOneEntryAndManyShareBatches() throws Exception {
    server = start(100_000);
    String big = "v".repeat(9 << 20);
    HttpResponse<String> put = put("/big", "value=" + big);
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(get("/v2/keys/big").body()).contains(big);

    String medium = "m".repeat(200_000);
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      all.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(base() + "/v2/keys/medium/" + i))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .PUT(HttpRequest.BodyPublishers.ofString("value=" + medium))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : all) {
      assertThat(f.get().statusCode()).isEqualTo(201);
    }
  }

  @Test
  void restart_withChangedBootstrapFlags_keepsTheDataDirectorysIdentity() throws Exception {
    RosterServer first = start(100_000);
    server = first;
    assertThat(put("/kept", "value=1").statusCode()).isEqualTo(201);
    String member = first.cluster().self().id();
    ServerConfig c = first.config();
    first.close();
    server = null;
    ServerConfig changedToken =
        new ServerConfig(
            c.name(),
            c.dataDir(),
            c.listenClientUrls(),
            c.advertiseClientUrls(),
            c.listenPeerUrls(),
            c.initialAdvertisePeerUrls(),
            c.initialCluster(),
            c.initialClusterState(),
            "another-token",
            c.snapshotCount(),
            c.requestTimeout(),
            c.cors());
    server = RosterServer.start(changedToken);
    assertThat(server.cluster().self().id()).isEqualTo(member);
    assertThat(get("/v2/keys/kept").statusCode()).isEqualTo(200);
  }

  @Test
  void existingClusterState_withoutOtherMembers_isRefused() throws Exception {
    ServerConfig config = config(dir.resolve("joiner"), "existing", 100_000);
    assertThatThrownBy(() -> RosterServer.start(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("existing")
        .hasMessageContaining("--initial-cluster must also list its members");
  }

  @Test
  void unreadableSnapshot_refusesToStartEmpty() throws Exception {
    RosterServer first = start(20);
    server = first;
    for (int i = 0; i < 100; i++) {
      assertThat(put("/s/k" + i, "value=" + i).statusCode()).isEqualTo(201);
    }
    ServerConfig c = first.config();
    first.close();
    server = null;
    List<Path> snapshots;
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      snapshots =
          files.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
    }
    assertThat(snapshots).isNotEmpty();
    for (Path p : snapshots) {
      Files.write(p, new byte[] {1, 2, 3});
    }
    assertThatThrownBy(() -> RosterServer.start(c)).isInstanceOf(Exception.class);
  }

  private static String stripTtl(String body) {
    return body.replaceAll(",\"ttl\":\\d+", "");
  }
}
