package io.roster.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.it.fault.KvOp.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent clients read (quorum), write, compare-and-swap, create and delete a few keys on every
 * member while members are killed with kill -9 and restarted, paused with SIGSTOP, and cut off by
 * partitions. Each history must be linearizable (Wing &amp; Gong / Lowe, per key), lose no
 * acknowledged write, never answer one index to two writes, and after every fault is repaired all
 * members must hold identical full dumps, indexes included.
 *
 * <p>The default run is one 40 s history on three members. With {@code -Pfaults} ({@code
 * roster.faults.long=true}) it runs six 60 s histories on three members and six on five.
 */
class ClusterFaultsIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterFaultsIT.class);
  static final boolean LONG = Boolean.getBoolean("roster.faults.long");

  private record Plan(int members, int histories, Duration length) {}

  private final LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofMinutes(1));
  private final Map<Nemesis.Fault, Integer> faults = new EnumMap<>(Nemesis.Fault.class);
  private final List<String> violations = new ArrayList<>();
  private int histories;
  private long operations;
  private long unknownOutcomes;
  private int undecidedKeys;

  @Test
  void histories_underKillPauseAndPartition_areLinearizable_loseNothing_andConverge() {
    List<Plan> plans =
        LONG
            ? List.of(new Plan(3, 6, Duration.ofMinutes(1)), new Plan(5, 6, Duration.ofMinutes(1)))
            : List.of(new Plan(3, 1, Duration.ofSeconds(40)));
    long started = System.nanoTime();
    int historyId = 0;
    for (Plan plan : plans) {
      try (FaultCluster cluster = FaultCluster.start(plan.members(), "faults" + plan.members())) {
        for (int h = 0; h < plan.histories(); h++) {
          runHistory(cluster, historyId++, plan.length());
        }
      }
    }
    int totalFaults = faults.values().stream().mapToInt(Integer::intValue).sum();
    LOG.info(
        "ClusterFaultsIT totals: {} histories, {} operations ({} with unknown outcome), faults"
            + " injected {} ({} in all), violations found {}, undecided keys {}, {} s",
        histories,
        operations,
        unknownOutcomes,
        faults,
        totalFaults,
        violations.size(),
        undecidedKeys,
        Duration.ofNanos(System.nanoTime() - started).toSeconds());
    assertThat(violations).as("violations").isEmpty();
    assertThat(undecidedKeys).as("keys the checker could not decide in time").isZero();
    assertThat(totalFaults).as("faults injected").isGreaterThanOrEqualTo(3 * histories);
  }

  private void runHistory(FaultCluster cluster, int id, Duration length) {
    String prefix = "/lin/h" + id;
    int size = cluster.members().size();
    Random random = new Random(1000L + id);
    HistoryRecorder recorder = new HistoryRecorder(cluster, prefix, 4, size + 3, id);
    Nemesis nemesis = new Nemesis(cluster, random);
    recorder.start();
    try {
      nemesis.run(length);
      recorder.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "history " + id + ": " + e.getMessage() + "\n" + cluster.logTails(30), e);
    }
    cluster.healAll();

    MemberHttp http = new MemberHttp();
    for (String key : recorder.keys()) {
      for (Member m : cluster.members()) {
        KvOp last = null;
        for (int attempt = 0; attempt < 5 && (last == null || last.unknown()); attempt++) {
          last = recorder.execute(http, -1, m, KvOp.Call.read(key));
        }
        assertThat(last != null && !last.unknown())
            .as("final quorum read of %s on %s after healing: %s", key, m, last)
            .isTrue();
      }
    }
    Map<String, FaultCluster.Dump> dumps = cluster.awaitConvergence(Duration.ofMinutes(2));
    List<KvOp> history = recorder.history();

    LinearizabilityChecker.Result result = checker.check(history);
    for (LinearizabilityChecker.KeyResult k : result.keys()) {
      if (k.verdict() == LinearizabilityChecker.Verdict.ILLEGAL) {
        violations.add("history " + id + ": not linearizable: " + k.describe());
      } else if (k.verdict() == LinearizabilityChecker.Verdict.UNKNOWN) {
        undecidedKeys++;
        LOG.warn("history {}: {}", id, k.describe());
      }
    }
    HistoryChecks.reusedIndexes(history).forEach(p -> violations.add("history " + id + ": " + p));
    Map<String, Node> finalState = HistoryChecks.leaves(dumps.values().iterator().next().node());
    HistoryChecks.lostWrites(history, recorder.keys(), finalState)
        .forEach(p -> violations.add("history " + id + ": lost write: " + p));

    long ok = history.stream().filter(o -> o.result().status() == KvOp.Status.OK).count();
    long unknown = history.stream().filter(KvOp::unknown).count();
    long okWrites =
        history.stream()
            .filter(o -> o.result().status() == KvOp.Status.OK && o.call().kind() != KvOp.Kind.READ)
            .count();
    assertThat(okWrites).as("history %d: acknowledged writes", id).isGreaterThanOrEqualTo(20);
    histories++;
    operations += history.size();
    unknownOutcomes += unknown;
    nemesis.injected().forEach((f, n) -> faults.merge(f, n, Integer::sum));
    LOG.info(
        "history {} on {} members: {} operations ({} ok, {} unknown, {} not sent), faults {},"
            + " checker {} in {} ms, converged at index {}",
        id,
        cluster.members().size(),
        history.size(),
        ok,
        unknown,
        recorder.notSent(),
        nemesis.injected(),
        result.verdict(),
        result.keys().stream().mapToLong(k -> k.took().toMillis()).sum(),
        dumps.values().iterator().next().etcdIndex());
  }
}
