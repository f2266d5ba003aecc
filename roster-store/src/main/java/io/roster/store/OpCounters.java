package io.roster.store;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The operation counters behind {@link StoreStats} (etcd {@code v2store/stats.go}). Reads count
 * concurrently under the read lock, hence {@link LongAdder}s. Counters are per member and are not
 * part of snapshots: reads differ between replicas, and snapshots must be identical.
 */
final class OpCounters {
  enum Op {
    GET,
    SET,
    DELETE,
    UPDATE,
    CREATE,
    COMPARE_AND_SWAP,
    COMPARE_AND_DELETE
  }

  private final Map<Op, LongAdder> success = adders();
  private final Map<Op, LongAdder> fail = adders();
  private final LongAdder expired = new LongAdder();

  private static Map<Op, LongAdder> adders() {
    Map<Op, LongAdder> m = new EnumMap<>(Op.class);
    for (Op op : Op.values()) {
      m.put(op, new LongAdder());
    }
    return m;
  }

  /** Counts {@code outcome} as a success or a failure of {@code op}; returns it. */
  Outcome record(Op op, Outcome outcome) {
    adder(outcome instanceof StoreError ? fail : success, op).increment();
    return outcome;
  }

  void expired() {
    expired.increment();
  }

  StoreStats snapshot(long watchers) {
    return new StoreStats(
        s(Op.GET),
        f(Op.GET),
        s(Op.SET),
        f(Op.SET),
        s(Op.DELETE),
        f(Op.DELETE),
        s(Op.UPDATE),
        f(Op.UPDATE),
        s(Op.CREATE),
        f(Op.CREATE),
        s(Op.COMPARE_AND_SWAP),
        f(Op.COMPARE_AND_SWAP),
        s(Op.COMPARE_AND_DELETE),
        f(Op.COMPARE_AND_DELETE),
        expired.sum(),
        watchers);
  }

  private long s(Op op) {
    return adder(success, op).sum();
  }

  private long f(Op op) {
    return adder(fail, op).sum();
  }

  private static LongAdder adder(Map<Op, LongAdder> adders, Op op) {
    return Objects.requireNonNull(adders.get(op));
  }
}
