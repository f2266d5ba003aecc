package io.roster.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition proxy really partitions: every peer connection is attributed to the member that
 * opened it, and cutting the leader off makes the other two elect a new leader and serve writes,
 * while quorum reads on the isolated member fail and its plain reads stay behind until the cut is
 * healed, after which it catches up. The stale plain read it serves meanwhile, with the write it
 * missed, is a history the linearizability checker must reject.
 */
class PeerProxyIT {
  private static final Logger LOG = LoggerFactory.getLogger(PeerProxyIT.class);

  @Test
  void isolatingTheLeader_majorityElectsAnother_minorityCannotServeQuorumReads() {
    try (FaultCluster cluster = FaultCluster.start(3, "proxy")) {
      MemberHttp http = new MemberHttp();
      Member old = awaitLeader(cluster, cluster.members());
      List<Member> rest = cluster.members().stream().filter(m -> m != old).toList();
      for (Member m : cluster.members()) {
        assertThat(cluster.proxy(m.name).accepted()).as("connections to %s", m).isPositive();
        assertThat(cluster.proxy(m.name).unidentified())
            .as("connections to %s whose source was not identified", m)
            .isZero();
      }

      long cutAt = System.nanoTime();
      cluster.partition(List.of(old));
      Member next = awaitLeader(cluster, rest);
      LOG.info(
          "isolated leader {}; {} leads after {} ms",
          old,
          next,
          Duration.ofNanos(System.nanoTime() - cutAt).toMillis());
      assertThat(next).isNotEqualTo(old);

      MemberHttp.Reply w = null;
      long writeInvoked = System.nanoTime();
      for (int i = 0; i < 20 && (w == null || (w.status() != 201 && w.status() != 200)); i++) {
        w =
            http.trySend(
                rest.get(0).base(),
                "PUT",
                "/v2/keys/cut/x",
                "value=majority",
                Duration.ofSeconds(10));
      }
      MemberHttp.Reply written =
          Objects.requireNonNull(w, "no answer to the write on the majority");
      assertThat(written.status()).as("write on the majority: %s", written).isIn(200, 201);
      long writeAcked = System.nanoTime();

      MemberHttp.Reply q =
          http.trySend(
              old.base(), "GET", "/v2/keys/cut/x?quorum=true", null, Duration.ofSeconds(15));
      assertThat(q == null || q.status() >= 500)
          .as("quorum read on the isolated member must fail, got %s", q)
          .isTrue();
      long readInvoked = System.nanoTime();
      MemberHttp.Reply plain =
          http.trySend(old.base(), "GET", "/v2/keys/cut/x", null, Duration.ofSeconds(5));
      long readReturned = System.nanoTime();
      MemberHttp.Reply local =
          Objects.requireNonNull(plain, "no answer to a plain read on the isolated member");
      assertThat(local.status())
          .as("the isolated member has not seen the write: %s", local)
          .isEqualTo(404);
      // A plain GET is a local read (etcd v2's default), so this is a real stale read; the checker
      // must call the two operations, taken from the live cluster, not linearizable.
      List<KvOp> staleHistory =
          List.of(
              new KvOp(
                  0,
                  0,
                  rest.get(0).name,
                  KvOp.Call.write("/cut/x", "majority"),
                  writeInvoked,
                  writeAcked,
                  KvOp.Result.ok(
                      new KvOp.Node(
                          "majority", written.json().path("node").path("modifiedIndex").asLong()),
                      null)),
              new KvOp(
                  1,
                  1,
                  old.name,
                  KvOp.Call.read("/cut/x"),
                  readInvoked,
                  readReturned,
                  KvOp.Result.failed(local.errorCode())));
      assertThat(new LinearizabilityChecker(Duration.ofSeconds(10)).check(staleHistory).verdict())
          .as("the checker on a stale plain read from the isolated member")
          .isEqualTo(LinearizabilityChecker.Verdict.ILLEGAL);

      cluster.healPartitions();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      MemberHttp.Reply caught = null;
      while (System.nanoTime() < deadline) {
        caught =
            http.trySend(
                old.base(), "GET", "/v2/keys/cut/x?quorum=true", null, Duration.ofSeconds(10));
        if (caught != null && caught.status() == 200) {
          break;
        }
        FaultCluster.sleep(250);
      }
      MemberHttp.Reply healed = Objects.requireNonNull(caught, "the healed member does not answer");
      assertThat(healed.status()).as("after healing: %s", healed).isEqualTo(200);
      assertThat(healed.json().path("node").path("value").asText()).isEqualTo("majority");
      cluster.awaitConvergence(Duration.ofMinutes(2));
    }
  }

  private static Member awaitLeader(FaultCluster cluster, List<Member> among) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Member> l = cluster.selfProclaimedLeader(among);
      if (l.isPresent()) {
        return l.get();
      }
      FaultCluster.sleep(50);
    }
    throw new AssertionError("no single leader among " + among + "\n" + cluster.logTails(30));
  }
}
