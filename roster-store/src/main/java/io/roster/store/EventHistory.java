package io.roster.store;

import io.roster.api.Action;

/**
 * The last {@value #CAPACITY} events (etcd {@code event_history.go}), from which watches with a
 * past {@code waitIndex} are answered.
 *
 * <p>Every mutation, refreshes and expiries included, takes exactly one index and adds exactly one
 * event, so the history always holds a contiguous run of indices ending at the store's current
 * index. The ring is therefore addressed directly by index ({@code slot = index % CAPACITY}): no
 * search, O(1) lookup, and a scan from {@code sinceIndex} walks at most {@value #CAPACITY} slots.
 *
 * <p>The scan predicate is etcd's, quirks included (spec §8.2): refresh events are skipped; an
 * event matches on the exact key, or below {@code key + "/"} for a recursive watch; and a {@code
 * delete}/{@code expire} of a directory matches every watch key that its key is a plain string
 * prefix of, without a {@code /} boundary (E13: deleting {@code /zz} answers a watch on {@code
 * /zzz}). Hidden keys are not filtered (E12). Live delivery ({@link WatcherHub}) differs on both
 * counts, as in etcd.
 *
 * <p>Guarded by the store's lock: appended under the write lock, read under the read lock.
 */
final class EventHistory {
  /** etcd's history size. */
  static final int CAPACITY = 1000;

  private final Event[] ring = new Event[CAPACITY];
  private long oldest;
  private long last;

  /** Whether no event has been recorded yet. */
  boolean isEmpty() {
    return last == 0;
  }

  /** Index of the oldest event held; 0 when empty. */
  long oldestIndex() {
    return oldest;
  }

  /** Index of the newest event held; 0 when empty. */
  long lastIndex() {
    return last;
  }

  int size() {
    return last == 0 ? 0 : (int) (last - oldest + 1);
  }

  /**
   * Appends the next event; evicts the oldest beyond {@value #CAPACITY}.
   *
   * @throws IllegalArgumentException unless {@code e} directly follows the newest event held
   */
  void add(Event e) {
    if (last != 0 && e.index() != last + 1) {
      throw new IllegalArgumentException("history gap: " + last + " then " + e.index());
    }
    ring[slot(e.index())] = e;
    last = e.index();
    if (oldest == 0) {
      oldest = last;
    } else if (last - oldest >= CAPACITY) {
      oldest = last - CAPACITY + 1;
    }
  }

  /** The event at {@code index}, which must be held. */
  Event get(long index) {
    if (index < oldest || index > last || last == 0) {
      throw new IllegalArgumentException(
          "index " + index + " not in [" + oldest + "," + last + "]");
    }
    return ring[slot(index)];
  }

  /** etcd's history-scan predicate; see the class comment. */
  static boolean matches(Event e, String key, boolean recursive) {
    if (e.refresh()) {
      return false;
    }
    String k = e.key();
    if (k.equals(key)) {
      return true;
    }
    if (recursive && isBelow(k, key)) {
      return true;
    }
    return (e.action() == Action.DELETE || e.action() == Action.EXPIRE)
        && e.dir()
        && key.startsWith(k);
  }

  private static boolean isBelow(String k, String key) {
    if (key.length() == 1) {
      return true;
    }
    return k.length() > key.length() + 1 && k.startsWith(key) && k.charAt(key.length()) == '/';
  }

  private static int slot(long index) {
    return (int) (index % CAPACITY);
  }
}
