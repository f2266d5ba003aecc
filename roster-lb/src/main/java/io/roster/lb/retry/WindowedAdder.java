package io.roster.lb.retry;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/*
 * A sum over a sliding time window (Finagle util WindowedAdder): a ring of slices, each covering
 * window / slices of time and tagged with its epoch; adding to a stale slice clears it first, and
 * the sum counts only slices younger than the window. So an amount added now stops counting between
 * (slices − 1)/slices and 1 window later. Fixed memory, O(slices) sum. Thread-safe through a lock
 * held for a few additions.
 */
final class WindowedAdder {
  private final LongSupplier clock;
  private final long sliceNanos;
  private final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock")
  private final long[] epochs;

  @GuardedBy("lock")
  private final long[] values;

  WindowedAdder(LongSupplier clock, long windowNanos, int slices) {
    if (windowNanos <= 0 || slices <= 0) {
      throw new IllegalArgumentException("window and slices must be positive");
    }
    this.clock = clock;
    this.sliceNanos = Math.max(1, windowNanos / slices);
    this.epochs = new long[slices];
    this.values = new long[slices];
    java.util.Arrays.fill(epochs, Long.MIN_VALUE);
  }

  void add(long amount) {
    lock.lock();
    try {
      addLocked(Math.floorDiv(clock.getAsLong(), sliceNanos), amount);
    } finally {
      lock.unlock();
    }
  }

  long sum() {
    lock.lock();
    try {
      return sumLocked(Math.floorDiv(clock.getAsLong(), sliceNanos));
    } finally {
      lock.unlock();
    }
  }

  /** Adds {@code -amount} if {@code sum() + reserve ≥ amount}; returns whether it did. */
  boolean tryTake(long amount, long reserve) {
    lock.lock();
    try {
      long epoch = Math.floorDiv(clock.getAsLong(), sliceNanos);
      if (sumLocked(epoch) + reserve < amount) {
        return false;
      }
      addLocked(epoch, -amount);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private void addLocked(long epoch, long amount) {
    int slot = (int) Math.floorMod(epoch, (long) epochs.length);
    if (epochs[slot] != epoch) {
      epochs[slot] = epoch;
      values[slot] = 0;
    }
    values[slot] += amount;
  }

  @GuardedBy("lock")
  private long sumLocked(long epoch) {
    long total = 0;
    for (int i = 0; i < epochs.length; i++) {
      if (epochs[i] != Long.MIN_VALUE && epoch - epochs[i] < epochs.length) {
        total += values[i];
      }
    }
    return total;
  }
}
