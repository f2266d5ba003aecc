package io.roster.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.it.fault.KvOp.Call;
import io.roster.it.fault.KvOp.Node;
import io.roster.it.fault.KvOp.Result;
import io.roster.it.fault.LinearizabilityChecker.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Hand-built histories, linearizable and not, and randomized histories produced by a simulated
 * atomic store: the checker must accept every real linearization and find each planted anomaly.
 */
class LinearizabilityCheckerTest {
  private static final long INF = Long.MAX_VALUE;
  private final LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(20));
  private final List<KvOp> history = new ArrayList<>();

  private void op(int client, Call call, long invoke, long complete, Result result) {
    history.add(new KvOp(history.size(), client, "m", call, invoke, complete, result));
  }

  private static Result ok(String value, long index) {
    return Result.ok(new Node(value, index), null);
  }

  private static Result ok(String value, long index, String prev, long prevIndex) {
    return Result.ok(new Node(value, index), new Node(prev, prevIndex));
  }

  private static Result deleted(long index, String prev, long prevIndex) {
    return Result.ok(new Node(null, index), new Node(prev, prevIndex));
  }

  private Verdict verdict() {
    return checker.check(history).verdict();
  }

  @Test
  void sequential_everyOperationKind_isLinearizable() {
    op(0, Call.read("k"), 0, 1, Result.failed(100));
    op(0, Call.create("k", "a"), 2, 3, ok("a", 5));
    op(0, Call.create("k", "x"), 4, 5, Result.failed(105));
    op(0, Call.cas("k", "zz", "y"), 6, 7, Result.failed(101));
    op(0, Call.cas("k", "a", "b"), 8, 9, ok("b", 7, "a", 5));
    op(0, Call.read("k"), 10, 11, ok("b", 7));
    op(0, Call.write("k", "c"), 12, 13, ok("c", 9, "b", 7));
    op(0, Call.delete("k"), 14, 15, deleted(10, "c", 9));
    op(0, Call.delete("k"), 16, 17, Result.failed(100));
    op(0, Call.cas("k", "c", "d"), 18, 19, Result.failed(100));
    op(0, Call.write("k", "e"), 20, 21, ok("e", 12));
    assertThat(verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void concurrentReads_maySeeOldOrNewValue() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(1, Call.write("k", "b"), 2, 10, ok("b", 2, "a", 1));
    op(2, Call.read("k"), 3, 4, ok("b", 2));
    op(3, Call.read("k"), 3, 12, ok("b", 2));
    op(4, Call.read("k"), 9, 11, ok("b", 2));
    op(5, Call.read("k"), 2, 3, ok("a", 1));
    assertThat(verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void staleRead_afterNewerWriteCompleted_isIllegal() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(0, Call.write("k", "b"), 2, 3, ok("b", 2, "a", 1));
    op(1, Call.read("k"), 4, 5, ok("a", 1));
    LinearizabilityChecker.Result result = checker.check(history);
    assertThat(result.verdict()).isEqualTo(Verdict.ILLEGAL);
    assertThat(result.violations()).hasSize(1);
    assertThat(result.describe()).contains("#2").contains("READ k");
  }

  @Test
  void staleRead_oldValueAfterAnotherReaderSawTheNewOne_isIllegal() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(0, Call.write("k", "b"), 2, 20, ok("b", 2, "a", 1));
    op(1, Call.read("k"), 3, 4, ok("b", 2));
    op(2, Call.read("k"), 5, 6, ok("a", 1));
    assertThat(verdict()).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void lostWrite_readAfterAcknowledgedWriteFindsNothing_isIllegal() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(1, Call.read("k"), 2, 3, Result.failed(100));
    assertThat(verdict()).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void lostWrite_overwrittenWithoutTheWriterSeeingIt_isIllegal() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(1, Call.write("k", "b"), 2, 3, ok("b", 2, "a", 1));
    // c's prevNode says it overwrote a: b was lost.
    op(2, Call.write("k", "c"), 4, 5, ok("c", 3, "a", 1));
    assertThat(verdict()).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void cas_twoSwapsFromTheSameValueBothSucceed_isIllegal() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(1, Call.cas("k", "a", "b"), 2, 10, ok("b", 2, "a", 1));
    op(2, Call.cas("k", "a", "c"), 3, 11, ok("c", 3, "a", 1));
    assertThat(verdict()).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void cas_failsAlthoughTheValueMatched_isIllegal() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(0, Call.cas("k", "a", "b"), 2, 3, Result.failed(101));
    assertThat(verdict()).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void cas_concurrentWithAWriteMayFail() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(1, Call.write("k", "b"), 2, 10, ok("b", 2, "a", 1));
    op(2, Call.cas("k", "a", "c"), 3, 11, Result.failed(101));
    assertThat(verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void create_succeedsOnAnExistingKey_isIllegal() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(1, Call.create("k", "b"), 2, 3, ok("b", 2));
    assertThat(verdict()).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void indexReused_readSeesTheRightValueWithAnotherIndex_isIllegal() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 4));
    op(1, Call.read("k"), 2, 3, ok("a", 5));
    assertThat(verdict()).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void unknownWrite_mayTakeEffectLate_orNever() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(1, Call.write("k", "u"), 2, INF, Result.unknown("timeout"));
    op(2, Call.read("k"), 3, 4, ok("a", 1));
    op(2, Call.read("k"), 50, 51, ok("u", 7));
    op(2, Call.read("k"), 52, 53, ok("u", 7));
    op(3, Call.write("k", "never"), 60, INF, Result.unknown("reset"));
    assertThat(verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void unknownWrite_observedBeforeItWasInvoked_isIllegal() {
    op(0, Call.read("k"), 0, 1, ok("u", 3));
    op(1, Call.write("k", "u"), 2, INF, Result.unknown("timeout"));
    assertThat(verdict()).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void unknownWrite_itsIndexIsFixedByTheFirstRead() {
    op(1, Call.write("k", "u"), 0, INF, Result.unknown("timeout"));
    op(2, Call.read("k"), 10, 11, ok("u", 3));
    op(2, Call.read("k"), 12, 13, ok("u", 4));
    assertThat(verdict()).isEqualTo(Verdict.ILLEGAL);
  }

  @Test
  void failedReads_areDropped() {
    op(0, Call.write("k", "a"), 0, 1, ok("a", 1));
    op(1, Call.read("k"), 2, INF, Result.unknown("500 error 300"));
    assertThat(checker.check(history).keys().get(0).operations()).isEqualTo(1);
    assertThat(verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void keysAreCheckedIndependently_andOnlyTheBadKeyIsReported() {
    op(0, Call.write("good", "a"), 0, 1, ok("a", 1));
    op(0, Call.write("bad", "a"), 2, 3, ok("a", 2));
    op(1, Call.read("good"), 4, 5, ok("a", 1));
    op(1, Call.read("bad"), 4, 5, Result.failed(100));
    LinearizabilityChecker.Result result = checker.check(history);
    assertThat(result.verdict()).isEqualTo(Verdict.ILLEGAL);
    assertThat(result.violations())
        .extracting(LinearizabilityChecker.KeyResult::key)
        .containsExactly("bad");
  }

  @Test
  void searchTimeout_answersUnknown_neverHangs() {
    // 60 overlapping unknown writes and a read of a value nobody wrote: every subset is explored.
    for (int i = 0; i < 60; i++) {
      op(i, Call.write("k", "v" + i), i, INF, Result.unknown("timeout"));
    }
    for (int i = 0; i < 60; i++) {
      op(100 + i, Call.read("k"), 100, 200 + i, ok("v" + i, 1000 + i));
    }
    long start = System.nanoTime();
    LinearizabilityChecker quick = new LinearizabilityChecker(Duration.ofMillis(300));
    Verdict v = quick.check(history).verdict();
    assertThat(v).isEqualTo(Verdict.UNKNOWN);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void randomHistoriesFromAnAtomicStore_areLinearizable_andPlantedAnomaliesAreFound() {
    Random random = new Random(42);
    int planted = 0;
    for (int round = 0; round < 40; round++) {
      List<KvOp> good = simulate(random, 6, 80);
      assertThat(checker.check(good).verdict())
          .as("round %d: %s", round, good)
          .isEqualTo(Verdict.OK);

      List<KvOp> bad = plantStaleRead(good);
      if (bad != null) {
        planted++;
        LinearizabilityChecker.Result r = checker.check(bad);
        assertThat(r.verdict())
            .as("round %d with a stale read planted", round)
            .isEqualTo(Verdict.ILLEGAL);
      }
    }
    assertThat(planted).as("rounds with a stale read planted").isGreaterThanOrEqualTo(30);
  }

  /**
   * Clients run operations on two keys against an atomic store; each takes effect at a random
   * instant inside its interval. About one write in forty loses its answer (unknown outcome), and
   * half of those never take effect.
   */
  private static List<KvOp> simulate(Random random, int clients, int opsPerClient) {
    record Planned(int client, Call call, long invoke, long complete, long at, boolean lost) {}
    List<Planned> planned = new ArrayList<>();
    int seq = 0;
    for (int c = 0; c < clients; c++) {
      long t = random.nextInt(10);
      for (int i = 0; i < opsPerClient; i++) {
        long invoke = t + random.nextInt(5);
        long complete = invoke + 1 + random.nextInt(30);
        String key = "k" + random.nextInt(2);
        String value = "c" + c + "-" + seq++;
        Call call =
            switch (random.nextInt(6)) {
              case 0, 1 -> Call.read(key);
              case 2 -> Call.write(key, value);
              case 3 ->
                  Call.cas(key, "c" + random.nextInt(clients) + "-" + random.nextInt(seq), value);
              case 4 -> Call.create(key, value);
              default -> Call.delete(key);
            };
        boolean lost = call.kind() != KvOp.Kind.READ && random.nextInt(40) == 0;
        long at = invoke + (long) (random.nextDouble() * (complete - invoke));
        planned.add(new Planned(c, call, invoke, complete, at, lost));
        t = complete;
      }
    }
    List<Planned> byPoint = new ArrayList<>(planned);
    byPoint.sort(Comparator.comparingLong(Planned::at));
    java.util.Map<String, KvModel.State> store = new java.util.HashMap<>();
    long index = 0;
    List<KvOp> out = new ArrayList<>();
    for (Planned p : byPoint) {
      if (p.lost() && random.nextBoolean()) {
        out.add(
            new KvOp(
                out.size(), p.client(), "m", p.call(), p.invoke(), INF, Result.unknown("sim")));
        continue;
      }
      KvModel.State s = store.getOrDefault(p.call().key(), KvModel.State.ABSENT);
      @Nullable Node prev = s.present() ? new Node(s.value(), s.index()) : null;
      Result r;
      KvModel.State next = s;
      switch (p.call().kind()) {
        case READ ->
            r = s.present() ? Result.ok(new Node(s.value(), s.index()), null) : Result.failed(100);
        case WRITE -> {
          next = new KvModel.State(p.call().value(), ++index);
          r = Result.ok(new Node(p.call().value(), index), prev);
        }
        case CAS -> {
          if (!s.present()) {
            r = Result.failed(100);
          } else if (!java.util.Objects.equals(p.call().expected(), s.value())) {
            r = Result.failed(101);
          } else {
            next = new KvModel.State(p.call().value(), ++index);
            r = Result.ok(new Node(p.call().value(), index), prev);
          }
        }
        case CREATE -> {
          if (s.present()) {
            r = Result.failed(105);
          } else {
            next = new KvModel.State(p.call().value(), ++index);
            r = Result.ok(new Node(p.call().value(), index), null);
          }
        }
        default -> {
          if (!s.present()) {
            r = Result.failed(100);
          } else {
            next = KvModel.State.ABSENT;
            r = Result.ok(new Node(null, ++index), prev);
          }
        }
      }
      store.put(p.call().key(), next);
      if (p.lost()) {
        r = Result.unknown("sim");
      }
      out.add(
          new KvOp(
              out.size(),
              p.client(),
              "m",
              p.call(),
              p.invoke(),
              r.status() == KvOp.Status.UNKNOWN ? INF : p.complete(),
              r));
    }
    return out;
  }

  /**
   * A copy where the last successful read that follows a completed, acknowledged write of a
   * different value to the same key answers an older acknowledged value instead: stale.
   */
  private static @Nullable List<KvOp> plantStaleRead(List<KvOp> history) {
    for (int i = history.size() - 1; i >= 0; i--) {
      KvOp read = history.get(i);
      Node seen = read.result().node();
      if (read.call().kind() != KvOp.Kind.READ || seen == null) {
        continue;
      }
      KvOp older = null;
      for (KvOp w : history) {
        Node wrote = w.result().node();
        if (w.call().key().equals(read.call().key())
            && w.call().kind() != KvOp.Kind.READ
            && w.call().kind() != KvOp.Kind.DELETE
            && wrote != null
            && wrote.modifiedIndex() < seen.modifiedIndex()
            && w.completeNanos() < read.invokeNanos()) {
          older = w;
        }
      }
      // Only plant when the read's own value was written (and acknowledged) entirely before the
      // read began, after the older write completed: then the older value is certainly stale.
      KvOp source = null;
      for (KvOp w : history) {
        Node wrote = w.result().node();
        if (wrote != null
            && w.call().kind() != KvOp.Kind.READ
            && wrote.modifiedIndex() == seen.modifiedIndex()
            && w.call().key().equals(read.call().key())) {
          source = w;
        }
      }
      if (older == null
          || source == null
          || source.completeNanos() >= read.invokeNanos()
          || source.invokeNanos() <= older.completeNanos()) {
        continue;
      }
      Node stale = java.util.Objects.requireNonNull(older.result().node());
      List<KvOp> copy = new ArrayList<>(history);
      copy.set(
          i,
          new KvOp(
              read.id(),
              read.client(),
              read.member(),
              read.call(),
              read.invokeNanos(),
              read.completeNanos(),
              Result.ok(stale, null)));
      return copy;
    }
    return null;
  }
}
