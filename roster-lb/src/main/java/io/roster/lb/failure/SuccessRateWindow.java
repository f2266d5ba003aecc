package io.roster.lb.failure;

/**
 * Successes and failures over a sliding time window, kept in a ring of equal time buckets.
 *
 * <p>A bucket is identified by its epoch, {@code now / bucketNanos}; recording into a slot whose
 * epoch is stale clears it first, and a total sums only the buckets younger than the window. The
 * window therefore slides in steps of one bucket (a tenth of the window by default), and memory is
 * fixed whatever the traffic. Not thread-safe: the owning endpoint guards it with its lock.
 */
final class SuccessRateWindow {
  private final long bucketNanos;
  private final long[] epochs;
  private final long[] successes;
  private final long[] failures;

  SuccessRateWindow(long windowNanos, int buckets) {
    if (windowNanos <= 0 || buckets <= 0) {
      throw new IllegalArgumentException("window and buckets must be positive");
    }
    this.bucketNanos = Math.max(1, windowNanos / buckets);
    this.epochs = new long[buckets];
    this.successes = new long[buckets];
    this.failures = new long[buckets];
    java.util.Arrays.fill(epochs, Long.MIN_VALUE);
  }

  void record(long now, boolean success) {
    long epoch = Math.floorDiv(now, bucketNanos);
    int slot = (int) Math.floorMod(epoch, (long) epochs.length);
    if (epochs[slot] != epoch) {
      epochs[slot] = epoch;
      successes[slot] = 0;
      failures[slot] = 0;
    }
    if (success) {
      successes[slot]++;
    } else {
      failures[slot]++;
    }
  }

  /** Requests recorded in the window ending at {@code now}. */
  long requests(long now) {
    return sum(now, successes) + sum(now, failures);
  }

  /** Success rate in the window ending at {@code now}; 1 when empty. */
  double successRate(long now) {
    long ok = sum(now, successes);
    long total = ok + sum(now, failures);
    return total == 0 ? 1.0 : (double) ok / total;
  }

  void clear() {
    java.util.Arrays.fill(epochs, Long.MIN_VALUE);
  }

  private long sum(long now, long[] counts) {
    long current = Math.floorDiv(now, bucketNanos);
    long total = 0;
    for (int i = 0; i < epochs.length; i++) {
      if (epochs[i] != Long.MIN_VALUE && current - epochs[i] < epochs.length) {
        total += counts[i];
      }
    }
    return total;
  }
}
