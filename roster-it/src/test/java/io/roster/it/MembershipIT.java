package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runtime membership and quorum loss with the real etcdctl, against a three-member Roster cluster
 * and a three-member etcd 3.4 cluster alike: {@code member add}, a new member started with {@code
 * --initial-cluster-state existing} from what {@code member add} printed, its catch-up, {@code
 * member list}, {@code cluster-health}, {@code member remove} (the removed member stops), and what
 * the survivor of a quorum loss answers.
 */
@ExtendWith(DumpLogsOnFailure.class)
class MembershipIT {
  private static final Pattern INITIAL_CLUSTER =
      Pattern.compile("(?m)^ETCD_INITIAL_CLUSTER=\"([^\"]+)\"$");
  private static final Pattern ADDED_ID =
      Pattern.compile("Added member named m3 with ID ([0-9a-f]+) to cluster");
  private static final Pattern MEMBER_LINE =
      Pattern.compile(
          "^[0-9a-f]+: name=m\\d peerURLs=http://127\\.0\\.0\\.1:\\d+"
              + " clientURLs=http://127\\.0\\.0\\.1:\\d+ isLeader=(true|false)$");

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void memberAdd_joinExisting_catchUp_list_health_remove(ServerKind kind) {
    try (ServerCluster cluster = ServerCluster.start(kind, "members", 3)) {
      ServerProcess first = cluster.member(0);
      assertThat(first.client().send("PUT", "/v2/keys/before", "value=joined").status())
          .isEqualTo(201);

      int peerPort = Ports.free();
      int clientPort = Ports.free();
      List<String> add = List.of("member", "add", "m3", "http://127.0.0.1:" + peerPort);
      Etcdctl.Result added = Etcdctl.run(first, add);
      for (int i = 0; i < 20 && added.err().contains("has no leader"); i++) {
        ServerProcess.sleep(500); // an election on a loaded machine; etcd refuses changes then
        added = Etcdctl.run(first, add);
      }
      assertThat(added.exit()).as(added.err()).isZero();
      Matcher id = ADDED_ID.matcher(added.out());
      assertThat(id.find()).as(added.out()).isTrue();
      assertThat(added.out())
          .contains("ETCD_NAME=\"m3\"")
          .contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
      Matcher initial = INITIAL_CLUSTER.matcher(added.out());
      assertThat(initial.find()).as(added.out()).isTrue();

      Etcdctl.Result unstarted = Etcdctl.run(first, List.of("member", "list"));
      assertThat(unstarted.out())
          .contains(id.group(1) + "[unstarted]: peerURLs=http://127.0.0.1:" + peerPort);

      ServerProcess joiner =
          kind == ServerKind.ETCD
              ? new EtcdProcess("members-m3", clientPort, peerPort, "m3", initial.group(1))
              : new RosterProcess("members-m3", clientPort, peerPort, "m3", initial.group(1));
      try (joiner) {
        joiner.clusterState = "existing";
        joiner.launch();
        assertThat(joiner.client().send("GET", "/v2/keys/before", null).body())
            .contains("\"value\":\"joined\"");

        Await.until(
            Duration.ofSeconds(30),
            "m3 published its name and client URL",
            () -> {
              List<String> lines =
                  Etcdctl.run(first, List.of("member", "list")).out().lines().toList();
              return lines.size() == 4
                  && lines.stream().allMatch(l -> MEMBER_LINE.matcher(l).matches())
                  && lines.stream().filter(l -> l.endsWith("isLeader=true")).count() == 1
                  && lines.stream()
                      .anyMatch(
                          l ->
                              l.startsWith(id.group(1) + ": name=m3 ")
                                  && l.contains("clientURLs=http://127.0.0.1:" + clientPort));
            });
        Etcdctl.Result health = Etcdctl.run(joiner, List.of("cluster-health"));
        assertThat(health.exit()).as(health.out() + health.err()).isZero();
        assertThat(health.out()).contains("member " + id.group(1) + " is healthy");
        assertThat(health.out().lines().toList()).last().isEqualTo("cluster is healthy");

        Etcdctl.Result removed = Etcdctl.run(first, List.of("member", "remove", id.group(1)));
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(removed.out()).contains("Removed member " + id.group(1) + " from cluster");
        Await.until(Duration.ofSeconds(40), "the removed member stopped", () -> !joiner.isAlive());
        Etcdctl.Result again = Etcdctl.run(first, List.of("member", "remove", id.group(1)));
        assertThat(again.exit()).isNotZero();
        assertThat(Etcdctl.run(first, List.of("member", "list")).out().lines()).hasSize(3);
        assertThat(cluster.member(1).client().send("PUT", "/v2/keys/after", "value=x").status())
            .isEqualTo(201);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void quorumLoss_writesAndQuorumReadsFailWith300_plainReadsServe(ServerKind kind) {
    try (ServerCluster cluster = ServerCluster.start(kind, "quorum", 3)) {
      ServerProcess survivor = cluster.member(0);
      assertThat(survivor.client().send("PUT", "/v2/keys/k", "value=v").status()).isEqualTo(201);
      cluster.member(1).kill9();
      cluster.member(2).kill9();

      long start = System.nanoTime();
      EtcdV2Http.Reply write = survivor.client().send("PUT", "/v2/keys/k", "value=w");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(write.status()).isEqualTo(500);
      assertThat(write.json().path("errorCode").asInt()).isEqualTo(300);
      assertThat(took).as("answered in bounded time").isLessThan(Duration.ofSeconds(20));

      EtcdV2Http.Reply quorumRead = survivor.client().send("GET", "/v2/keys/k?quorum=true", null);
      assertThat(quorumRead.status()).isEqualTo(500);
      assertThat(quorumRead.json().path("errorCode").asInt()).isEqualTo(300);
      EtcdV2Http.Reply plain = survivor.client().send("GET", "/v2/keys/k", null);
      assertThat(plain.status()).isEqualTo(200);
      assertThat(plain.body()).contains("\"value\":\"v\"");
      assertThat(survivor.client().send("GET", "/health", null).status()).isEqualTo(503);
      Await.until(
          Duration.ofSeconds(30),
          "the survivor no longer claims to lead",
          () -> survivor.client().send("GET", "/v2/stats/leader", null).status() == 403);
      Etcdctl.Result health = Etcdctl.run(survivor, List.of("cluster-health"));
      assertThat(health.exit()).isEqualTo(5);
      assertThat(health.out()).contains("cluster is unavailable");
    }
  }
}
