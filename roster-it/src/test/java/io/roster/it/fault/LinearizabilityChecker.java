package io.roster.it.fault;

import io.roster.it.fault.KvModel.State;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Checks a recorded history of etcd v2 key operations for linearizability.
 *
 * <p><b>Algorithm.</b> Wing and Gong's search, with Lowe's memoization, as Porcupine implements it.
 * The history becomes one doubly linked list of call and return events ordered by time (a call
 * before a return at the same instant, so touching operations count as concurrent). The search
 * walks the list: at a call it tries to linearize that operation now (the model must accept its
 * recorded output from the current state); if it can, it removes ("lifts") the call and its return
 * from the list and starts again from the head. Reaching a return means the operation that returns
 * there has not been linearized although it finished before everything still in the list began, so
 * the last choice is undone and the next candidate tried. An empty list is a linearization. Every
 * (set of linearized operations, model state) pair reached is remembered; reaching one again is a
 * dead end, which turns the exponential search into one that is fast on real histories.
 *
 * <p><b>P-compositionality.</b> Operations on different keys commute, so a history is linearizable
 * iff each key's sub-history is (Herlihy &amp; Wing's locality); each key is checked alone.
 *
 * <p><b>Unknown outcomes.</b> An operation that may or may not have taken effect returns at +∞ and
 * its output is unconstrained ({@link KvModel#step} on an unknown result): it can be linearized at
 * any point after its invocation, and putting it after everything else is the same as never. Reads
 * that failed constrain nothing and are dropped before the check.
 *
 * <p><b>Bounds.</b> The search for one key stops after {@code timeout} with {@link
 * Verdict#UNKNOWN}: a result that is neither a pass nor a violation, never a hang.
 *
 * <p>References: J. M. Wing, C. Gong, "Testing and verifying concurrent objects", JPDC 1993; G.
 * Lowe, "Testing for linearizability", CCPE 2017; A. Athalye, Porcupine
 * (github.com/anishathalye/porcupine); M. Herlihy, J. Wing, "Linearizability", TOPLAS 1990.
 */
final class LinearizabilityChecker {

  /** The answer for a history or one key. */
  enum Verdict {
    OK,
    ILLEGAL,
    UNKNOWN
  }

  /**
   * One key's result.
   *
   * @param longestPrefix the deepest partial linearization found, in order (for reports)
   * @param stuckAt the operation whose return ended the deepest attempt (null when OK)
   */
  record KeyResult(
      String key,
      Verdict verdict,
      int operations,
      List<KvOp> longestPrefix,
      @Nullable KvOp stuckAt,
      Duration took) {
    String describe() {
      StringBuilder b =
          new StringBuilder()
              .append("key ")
              .append(key)
              .append(": ")
              .append(verdict)
              .append(" (")
              .append(operations)
              .append(" operations, ")
              .append(took.toMillis())
              .append(" ms)");
      if (verdict == Verdict.ILLEGAL) {
        int from = Math.max(0, longestPrefix.size() - 12);
        b.append("\n  longest linearizable prefix has ")
            .append(longestPrefix.size())
            .append(" operations; it ends with:");
        for (KvOp op : longestPrefix.subList(from, longestPrefix.size())) {
          b.append("\n    ").append(op);
        }
        b.append("\n  and no pending operation can follow it before this one returns:\n    ")
            .append(stuckAt);
      }
      return b.toString();
    }
  }

  /** The results for every key; {@link #verdict} is the worst of them. */
  record Result(List<KeyResult> keys) {
    Verdict verdict() {
      Verdict v = Verdict.OK;
      for (KeyResult k : keys) {
        if (k.verdict() == Verdict.ILLEGAL) {
          return Verdict.ILLEGAL;
        }
        if (k.verdict() == Verdict.UNKNOWN) {
          v = Verdict.UNKNOWN;
        }
      }
      return v;
    }

    List<KeyResult> violations() {
      return keys.stream().filter(k -> k.verdict() == Verdict.ILLEGAL).toList();
    }

    String describe() {
      StringBuilder b = new StringBuilder();
      for (KeyResult k : keys) {
        b.append(k.describe()).append('\n');
      }
      return b.toString();
    }
  }

  private final Duration timeoutPerKey;

  LinearizabilityChecker(Duration timeoutPerKey) {
    this.timeoutPerKey = timeoutPerKey;
  }

  /** Checks each key's sub-history; every key starts absent. */
  Result check(Collection<KvOp> history) {
    Map<String, List<KvOp>> byKey = new TreeMap<>();
    for (KvOp op : history) {
      if (op.call().kind() == KvOp.Kind.READ && op.unknown()) {
        continue;
      }
      byKey.computeIfAbsent(op.call().key(), k -> new ArrayList<>()).add(op);
    }
    List<KeyResult> results = new ArrayList<>();
    for (Map.Entry<String, List<KvOp>> e : byKey.entrySet()) {
      results.add(checkKey(e.getKey(), e.getValue()));
    }
    return new Result(results);
  }

  /** An event in the list: a call or a return, linked to its partner. */
  private static final class Event {
    final KvOp op;
    final int bit;
    final boolean call;
    final long time;
    @Nullable Event match;
    @Nullable Event prev;
    @Nullable Event next;

    Event(KvOp op, int bit, boolean call, long time) {
      this.op = op;
      this.bit = bit;
      this.call = call;
      this.time = time;
    }
  }

  private record Memo(BitSet linearized, State state) {}

  private record Frame(Event call, State before) {}

  KeyResult checkKey(String key, List<KvOp> ops) {
    long started = System.nanoTime();
    long deadline = started + timeoutPerKey.toNanos();
    Event head = buildList(ops);
    State state = State.ABSENT;
    BitSet linearized = new BitSet(ops.size());
    Set<Memo> seen = new HashSet<>();
    ArrayDeque<Frame> stack = new ArrayDeque<>();
    List<KvOp> longest = List.of();
    @Nullable KvOp stuckAt = null;
    long steps = 0;
    Event entry = head.next;
    while (head.next != null) {
      if ((++steps & 0x3ff) == 0 && System.nanoTime() > deadline) {
        return new KeyResult(key, Verdict.UNKNOWN, ops.size(), longest, stuckAt, since(started));
      }
      if (entry == null) {
        throw new IllegalStateException("walked off the event list");
      }
      if (entry.call) {
        State after = KvModel.step(state, entry.op.call(), entry.op.result());
        if (after != null) {
          BitSet bits = (BitSet) linearized.clone();
          bits.set(entry.bit);
          if (seen.add(new Memo(bits, after))) {
            stack.push(new Frame(entry, state));
            state = after;
            linearized.set(entry.bit);
            lift(entry);
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        if (stuckAt == null || stack.size() > longest.size()) {
          List<KvOp> prefix = new ArrayList<>(stack.size());
          stack.descendingIterator().forEachRemaining(f -> prefix.add(f.call().op));
          longest = prefix;
          stuckAt = entry.op;
        }
        Frame top = stack.poll();
        if (top == null) {
          return new KeyResult(key, Verdict.ILLEGAL, ops.size(), longest, stuckAt, since(started));
        }
        state = top.before();
        linearized.clear(top.call().bit);
        unlift(top.call());
        entry = top.call().next;
      }
    }
    return new KeyResult(key, Verdict.OK, ops.size(), List.of(), null, since(started));
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static Event buildList(List<KvOp> ops) {
    List<Event> events = new ArrayList<>(2 * ops.size());
    for (int i = 0; i < ops.size(); i++) {
      KvOp op = ops.get(i);
      Event call = new Event(op, i, true, op.invokeNanos());
      Event ret = new Event(op, i, false, op.unknown() ? Long.MAX_VALUE : op.completeNanos());
      call.match = ret;
      ret.match = call;
      events.add(call);
      events.add(ret);
    }
    events.sort(
        Comparator.<Event>comparingLong(e -> e.time)
            .thenComparing(e -> !e.call)
            .thenComparingInt(e -> e.bit));
    Event head =
        new Event(
            new KvOp(-1, -1, "", KvOp.Call.read(""), 0, 0, KvOp.Result.failed(0)), -1, false, 0);
    Event last = head;
    for (Event e : events) {
      last.next = e;
      e.prev = last;
      last = e;
    }
    return head;
  }

  private static void lift(Event call) {
    unlink(call);
    unlink(partner(call));
  }

  private static void unlift(Event call) {
    relink(partner(call));
    relink(call);
  }

  private static Event partner(Event e) {
    Event m = e.match;
    if (m == null) {
      throw new IllegalStateException("event without partner");
    }
    return m;
  }

  private static void unlink(Event e) {
    Event p = e.prev;
    if (p == null) {
      throw new IllegalStateException("unlinking the head");
    }
    p.next = e.next;
    if (e.next != null) {
      e.next.prev = p;
    }
  }

  private static void relink(Event e) {
    Event p = e.prev;
    if (p == null) {
      throw new IllegalStateException("relinking the head");
    }
    p.next = e;
    if (e.next != null) {
      e.next.prev = e;
    }
  }
}
