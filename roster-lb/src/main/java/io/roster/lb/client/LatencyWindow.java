package io.roster.lb.client;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/*
 * A latency percentile over a sliding window, for the hedge delay (client-resilience.md §9.3:
 * "a windowed HdrHistogram built from interval slices"). The window is a ring of HdrHistograms,
 * one per slice (30 s in 6 slices of 5 s by default); a sample goes into the current slice, and a
 * slice is cleared when the ring comes round to it again. Reading the percentile merges the live
 * slices, but at most once per 100 ms (or slice, if shorter): the value and the sample count are
 * cached in between, so the per-request cost is one histogram increment and one cache read. Precision: 2 significant
 * digits, microseconds up to one hour.
 *
 * Thread-safe through one lock, held for an increment or, once per slice, a merge.
 */
final class LatencyWindow {
  private static final long MAX_MICROS = 3_600_000_000L;
  private static final long REFRESH_NANOS = 100_000_000L;

  private final LongSupplier clock;
  private final long sliceNanos;
  private final long refreshNanos;
  private final double percentile;
  private final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock")
  private final Histogram[] slices;

  @GuardedBy("lock")
  private final long[] epochs;

  @GuardedBy("lock")
  private final Histogram merged = new Histogram(MAX_MICROS, 2);

  @GuardedBy("lock")
  private long cachedAt = Long.MIN_VALUE;

  @GuardedBy("lock")
  private long cachedNanos;

  @GuardedBy("lock")
  private long cachedCount;

  LatencyWindow(LongSupplier clock, long windowNanos, int sliceCount, double percentile) {
    if (windowNanos <= 0 || sliceCount < 1 || !(percentile > 0 && percentile < 100)) {
      throw new IllegalArgumentException(
          "need a positive window, ≥ 1 slice, percentile in (0, 100)");
    }
    this.clock = clock;
    this.sliceNanos = Math.max(1, windowNanos / sliceCount);
    this.refreshNanos = Math.min(sliceNanos, REFRESH_NANOS);
    this.percentile = percentile;
    this.slices = new Histogram[sliceCount];
    this.epochs = new long[sliceCount];
    for (int i = 0; i < sliceCount; i++) {
      slices[i] = new Histogram(MAX_MICROS, 2);
      epochs[i] = Long.MIN_VALUE;
    }
  }

  void record(long nanos) {
    long micros = Math.max(0, Math.min(MAX_MICROS, nanos / 1000));
    long epoch = Math.floorDiv(clock.getAsLong(), sliceNanos);
    lock.lock();
    try {
      slice(epoch).recordValue(micros);
    } finally {
      lock.unlock();
    }
  }

  /** The percentile in nanoseconds over the window, as of at most one slice ago. */
  long percentileNanos() {
    lock.lock();
    try {
      refresh();
      return cachedNanos;
    } finally {
      lock.unlock();
    }
  }

  /** Samples in the window, as of at most one slice ago. */
  long count() {
    lock.lock();
    try {
      refresh();
      return cachedCount;
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private Histogram slice(long epoch) {
    int i = (int) Math.floorMod(epoch, (long) slices.length);
    if (epochs[i] != epoch) {
      epochs[i] = epoch;
      slices[i].reset();
    }
    return slices[i];
  }

  @GuardedBy("lock")
  private void refresh() {
    long now = clock.getAsLong();
    if (cachedAt != Long.MIN_VALUE && now - cachedAt < refreshNanos) {
      return;
    }
    cachedAt = now;
    long epoch = Math.floorDiv(now, sliceNanos);
    merged.reset();
    for (int i = 0; i < slices.length; i++) {
      if (epochs[i] != Long.MIN_VALUE && epoch - epochs[i] < slices.length) {
        merged.add(slices[i]);
      }
    }
    cachedCount = merged.getTotalCount();
    cachedNanos = cachedCount == 0 ? 0 : merged.getValueAtPercentile(percentile) * 1000;
  }
}
