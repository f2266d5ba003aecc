package io.roster.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.it.fault.KvOp.Node;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader failover under write load: clients on every member of a three-member cluster write
 * continuously; the leader is killed with kill -9; the time from the kill to the first acknowledged
 * write that a client on a surviving member invoked after the kill is the failover time. The killed
 * member is restarted on its data dir and the next leader killed. At the end every acknowledged
 * write must be on every member with the index it was acknowledged with, no index may answer two
 * writes, and the members' dumps must be identical.
 *
 * <p>Three kills by default, asserting correctness only (the machine may be slow); with {@code
 * -Pfaults} ({@code roster.faults.long=true}) twenty, with min/p50/p99/max of the failover time.
 */
class FailoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverIT.class);
  private static final int WRITERS_PER_MEMBER = 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A failover slower than this logs the survivors' gateway gauges, to show where writes wait. */
  private static final Duration STALL = Duration.ofSeconds(3);

  private static final Pattern GAUGE =
      Pattern.compile(
          "(?m)^(roster_(?:raft_queued_commands|raft_is_leader|raft_term|raft_commit_index|store_index))(?:\\{[^}]*\\})? (\\S+)$");

  /** One acknowledged write. */
  private record Ack(
      String member, String key, String value, long index, long invoke, long complete) {}

  @Test
  void killingTheLeader_writesResumeOnTheSurvivors_andNothingAcknowledgedIsLost() throws Exception {
    int kills = ClusterFaultsIT.LONG ? 20 : 3;
    Histogram failover = new Histogram(Duration.ofMinutes(5).toMillis(), 3);
    Histogram firstAnyAck = new Histogram(Duration.ofMinutes(5).toMillis(), 3);
    List<String> perKill = new ArrayList<>();
    try (FaultCluster cluster = FaultCluster.start(3, "failover")) {
      ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong failed = new AtomicLong();
      Map<String, String> lastFailure = new ConcurrentHashMap<>();
      List<Thread> writers = new ArrayList<>();
      for (Member m : cluster.members()) {
        for (int w = 0; w < WRITERS_PER_MEMBER; w++) {
          String prefix = "/failover/" + m.name + w + "/";
          Thread t =
              new Thread(
                  () -> write(m, prefix, acks, failed, lastFailure, stop), "writer-" + m.name + w);
          t.setDaemon(true);
          writers.add(t);
          t.start();
        }
      }
      for (int k = 1; k <= kills; k++) {
        cluster.awaitAllServing(FaultCluster.READY_TIMEOUT);
        awaitAcksOnEveryMember(cluster, acks, lastFailure, System.nanoTime());
        Member leader = awaitLeader(cluster);
        List<String> survivors =
            cluster.members().stream().filter(m -> m != leader).map(m -> m.name).toList();
        long killAt = System.nanoTime();
        cluster.kill(leader);
        long deadline = killAt + Duration.ofMinutes(1).toNanos();
        long resumed = -1;
        long anyAck = -1;
        boolean sampled = false;
        while (resumed < 0 && System.nanoTime() < deadline) {
          for (Ack a : acks) {
            if (!survivors.contains(a.member()) || a.complete() < killAt) {
              continue;
            }
            if (anyAck < 0 || a.complete() < anyAck) {
              anyAck = a.complete();
            }
            if (a.invoke() >= killAt && (resumed < 0 || a.complete() < resumed)) {
              resumed = a.complete();
            }
          }
          if (resumed < 0 && !sampled && System.nanoTime() - killAt > STALL.toNanos()) {
            sampled = true;
            LOG.info(
                "FailoverIT kill {}: no write resumed after {}; {}", k, STALL, gauges(cluster));
          }
          if (resumed < 0) {
            FaultCluster.sleep(20);
          }
        }
        assertThat(resumed)
            .as(
                "kill %d of leader %s: a write invoked on a survivor after the kill succeeds",
                k, leader)
            .isPositive();
        long millis = Duration.ofNanos(resumed - killAt).toMillis();
        failover.recordValue(Math.max(1, millis));
        firstAnyAck.recordValue(Math.max(1, Duration.ofNanos(anyAck - killAt).toMillis()));
        Optional<Member> next = cluster.leader();
        perKill.add(
            k
                + ": killed "
                + leader.name
                + ", writes resumed after "
                + millis
                + " ms, new leader "
                + next.map(m -> m.name).orElse("?"));
        LOG.info(
            "FailoverIT kill {}: leader {} killed; writes resumed on the survivors after {} ms (first ack of any in-flight write after {} ms)",
            k,
            leader,
            millis,
            Duration.ofNanos(anyAck - killAt).toMillis());
        FaultCluster.sleep(1000);
        cluster.restart(leader);
      }
      cluster.awaitAllServing(FaultCluster.READY_TIMEOUT);
      FaultCluster.sleep(1000);
      stop.set(true);
      for (Thread t : writers) {
        t.join(20_000);
        assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
      }

      Map<String, FaultCluster.Dump> dumps = cluster.awaitConvergence(Duration.ofMinutes(2));
      List<String> lost = new ArrayList<>();
      Map<Long, Ack> byIndex = new HashMap<>();
      List<String> reused = new ArrayList<>();
      for (FaultCluster.Dump dump : dumps.values()) {
        Map<String, Node> stored = HistoryChecks.leaves(dump.node());
        for (Ack a : acks) {
          Node n = stored.get(a.key());
          if (n == null || !a.value().equals(n.value()) || n.modifiedIndex() != a.index()) {
            lost.add(dump.member() + ": " + a + " found " + n);
          }
        }
      }
      for (Ack a : acks) {
        Ack other = byIndex.putIfAbsent(a.index(), a);
        if (other != null) {
          reused.add(other + " and " + a);
        }
      }
      LOG.info(
          "FailoverIT: {} leader kills, {} writes acknowledged, {} failed or in doubt; failover"
              + " (kill -> first ack of a write invoked after it, on a survivor) ms: min {} p50 {}"
              + " p99 {} max {} mean {}; first ack of any write after the kill ms: min {} p50 {}"
              + " p99 {} max {}\n  {}",
          kills,
          acks.size(),
          failed.get(),
          failover.getMinValue(),
          failover.getValueAtPercentile(50),
          failover.getValueAtPercentile(99),
          failover.getMaxValue(),
          String.format("%.0f", failover.getMean()),
          firstAnyAck.getMinValue(),
          firstAnyAck.getValueAtPercentile(50),
          firstAnyAck.getValueAtPercentile(99),
          firstAnyAck.getMaxValue(),
          String.join("\n  ", perKill));
      assertThat(lost).as("acknowledged writes missing or changed").isEmpty();
      assertThat(reused).as("indexes answered to two writes").isEmpty();
      assertThat(failover.getTotalCount()).isEqualTo(kills);
    }
  }

  private static void write(
      Member m,
      String prefix,
      ConcurrentLinkedQueue<Ack> acks,
      AtomicLong failed,
      Map<String, String> lastFailure,
      AtomicBoolean stop) {
    MemberHttp http = new MemberHttp();
    for (int n = 0; !stop.get(); n++) {
      String value = Integer.toString(n);
      long invoke = System.nanoTime();
      MemberHttp.Reply r = null;
      String error = "";
      try {
        r = http.send(m.base(), "PUT", "/v2/keys" + prefix + n, "value=" + value, TIMEOUT);
      } catch (IOException e) {
        error = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long complete = System.nanoTime();
      if (r != null && r.status() == 201) {
        long index = r.json().path("node").path("modifiedIndex").asLong(-1);
        acks.add(new Ack(m.name, prefix + n, value, index, invoke, complete));
      } else {
        failed.incrementAndGet();
        lastFailure.put(
            m.name + " (" + Thread.currentThread().getName() + ")",
            Instant.now() + " " + (r == null ? error : r.toString()));
        FaultCluster.sleep(r == null ? 20 : 5);
      }
    }
  }

  /** The survivors' Raft gauges from {@code /metrics}, for reports. */
  private static String gauges(FaultCluster cluster) {
    MemberHttp http = new MemberHttp();
    StringBuilder b = new StringBuilder();
    for (Member m : cluster.members()) {
      if (!m.alive()) {
        continue;
      }
      MemberHttp.Reply r = http.trySend(m.base(), "GET", "/metrics", null, Duration.ofSeconds(2));
      b.append(m.name).append(": ");
      if (r == null) {
        b.append("no answer; ");
        continue;
      }
      Matcher g = GAUGE.matcher(r.body());
      while (g.find()) {
        b.append(g.group(1)).append('=').append(g.group(2)).append(' ');
      }
      b.append("; ");
    }
    return b.toString();
  }

  private static void awaitAcksOnEveryMember(
      FaultCluster cluster,
      ConcurrentLinkedQueue<Ack> acks,
      Map<String, String> lastFailure,
      long after) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (Member m : cluster.members()) {
        all &= acks.stream().anyMatch(a -> a.member().equals(m.name) && a.invoke() >= after);
      }
      if (all) {
        return;
      }
      FaultCluster.sleep(20);
    }
    throw new AssertionError(
        "writes do not succeed on every member for a minute; last failures "
            + new TreeMap<>(lastFailure)
            + "; "
            + gauges(cluster)
            + "\n"
            + cluster.logTails(30));
  }

  private static Member awaitLeader(FaultCluster cluster) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Member> l = cluster.leader();
      if (l.isPresent() && l.get().alive()) {
        return l.get();
      }
      FaultCluster.sleep(50);
    }
    throw new AssertionError("no leader agreed on by a majority");
  }
}
