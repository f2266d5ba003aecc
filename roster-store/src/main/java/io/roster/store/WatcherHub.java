package io.roster.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live watchers, and the routing of each new event to them (etcd {@code watcher_hub.go}).
 *
 * <p><b>Index.</b> Watchers are filed under the exact path they watch, split into non-recursive and
 * recursive sets. An event for key {@code /a/b/c} visits only the paths {@code /}, {@code /a},
 * {@code /a/b}, {@code /a/b/c}: at the ancestors it offers the event to recursive watchers unless
 * the part of the key below that ancestor has a hidden segment ({@code _x}); at the key itself to
 * every watcher. A directory delete or expiry also visits the path of every node that existed in
 * the removed subtree, and offers the event to all watchers there ("deleted-under"; a watcher on a
 * path that did not exist is not woken: E14). The cost of an event is therefore its depth plus the
 * removed subtree plus the watchers actually matched; watchers elsewhere cost nothing, so tens of
 * thousands of idle watchers are free. Sets are {@link LinkedHashSet}s: O(1) removal on cancel, and
 * deterministic delivery order.
 *
 * <p><b>Delivery.</b> An event is offered only if its index is at or past the watcher's {@code
 * sinceIndex} and past the last index it was offered. The second rule is a deliberate fix of E15:
 * etcd offers a deleted directory's event to a stream watcher on that directory twice (once as
 * deleted-under, once on the prefix walk); here every watcher sees each index at most once. A
 * one-shot watcher is removed after its first event; any watcher is removed when its sink refuses
 * an event or throws (etcd drops a watcher whose buffer is full).
 *
 * <p><b>Locking.</b> One private monitor guards the path map and every watcher's mutable state.
 * Apply holds the store's write lock and then this monitor while it routes an event; {@link
 * Store#watch} holds the store's read lock and then this monitor while it replays history and
 * registers, so no event can slip between the history scan and the registration. {@link
 * Watcher#cancel} takes only this monitor: it waits for an in-flight delivery to finish, after
 * which the watcher is never offered anything again. Lock order is always store lock, then hub.
 */
final class WatcherHub {
  private final Object lock = new Object();

  // @GuardedBy("lock")
  private final Map<String, PathWatchers> byPath = new HashMap<>();

  // @GuardedBy("lock"): set once by endAll.
  private boolean closed;

  /** Registered watchers; written under {@code lock}, read without it for stats and fast paths. */
  private final AtomicInteger count = new AtomicInteger();

  private static final class PathWatchers {
    final Set<Watcher> exact = new LinkedHashSet<>();
    final Set<Watcher> recursive = new LinkedHashSet<>();

    Set<Watcher> setFor(Watcher w) {
      return w.recursive ? recursive : exact;
    }

    boolean isEmpty() {
      return exact.isEmpty() && recursive.isEmpty();
    }
  }

  /** Live (registered) watchers. */
  int count() {
    return count.get();
  }

  /**
   * Starts {@code w}: offers it the matching history events at or after its {@code sinceIndex} (the
   * first only for a one-shot watch; every one for a stream, fixing E16), then registers it for
   * live events unless it is already over. The caller holds the store's read lock.
   */
  void start(Watcher w, EventHistory history) {
    synchronized (lock) {
      if (closed) {
        w.removed = true;
        tellEnded(w);
        return;
      }
      if (!history.isEmpty() && w.sinceIndex <= history.lastIndex()) {
        for (long i = Math.max(w.sinceIndex, history.oldestIndex());
            i <= history.lastIndex() && !w.removed;
            i++) {
          Event e = history.get(i);
          if (EventHistory.matches(e, w.key, w.recursive)) {
            offer(w, e);
          }
        }
      }
      if (!w.removed) {
        byPath.computeIfAbsent(w.key, k -> new PathWatchers()).setFor(w).add(w);
        w.registered = true;
        count.incrementAndGet();
      }
    }
  }

  /**
   * Removes every watcher and tells each sink its watch {@linkplain WatchSink#ended ended}; from
   * now on {@link #start} ends new watchers at once. The caller holds the store's write lock.
   *
   * @return how many watchers were ended
   */
  int endAll() {
    List<Watcher> all = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      for (PathWatchers pw : byPath.values()) {
        all.addAll(pw.exact);
        all.addAll(pw.recursive);
      }
      all.forEach(this::removeLocked);
    }
    all.forEach(WatcherHub::tellEnded);
    return all.size();
  }

  private static void tellEnded(Watcher w) {
    try {
      w.sink.ended();
    } catch (RuntimeException sinkBug) {
      // The watch is over either way.
    }
  }

  /** Removes {@code w}; idempotent. */
  void remove(Watcher w) {
    synchronized (lock) {
      removeLocked(w);
    }
  }

  /**
   * Routes a new, non-refresh event. {@code removedPaths} are the keys of the nodes a directory
   * delete or expiry removed (empty otherwise). The caller holds the store's write lock.
   */
  void notify(Event e, List<String> removedPaths) {
    if (count.get() == 0) {
      return;
    }
    synchronized (lock) {
      for (String path : removedPaths) {
        PathWatchers pw = byPath.get(path);
        if (pw != null) {
          offerAll(pw.exact, e);
          offerAll(pw.recursive, e);
        }
      }
      String key = e.key();
      int end = 0;
      while (end >= 0) {
        String path = end == 0 ? Keys.ROOT : key.substring(0, end);
        PathWatchers pw = byPath.get(path);
        if (pw != null) {
          if (end == key.length() || (end == 0 && key.length() == 1)) {
            offerAll(pw.exact, e);
            offerAll(pw.recursive, e);
          } else if (!Keys.hiddenBelow(path, key)) {
            offerAll(pw.recursive, e);
          }
        }
        if (end == key.length()) {
          break;
        }
        int slash = key.indexOf('/', end + 1);
        end = slash < 0 ? key.length() : slash;
      }
    }
  }

  private void offerAll(Set<Watcher> set, Event e) {
    if (set.isEmpty()) {
      return;
    }
    List<Watcher> snapshot = new ArrayList<>(set);
    for (Watcher w : snapshot) {
      if (e.index() >= w.sinceIndex) {
        offer(w, e);
      }
    }
  }

  private void offer(Watcher w, Event e) {
    if (w.removed || e.index() <= w.lastOffered) {
      return;
    }
    w.lastOffered = e.index();
    boolean accepted;
    try {
      accepted = w.sink.offer(e);
    } catch (RuntimeException sinkBug) {
      accepted = false;
    }
    if (!accepted || !w.stream) {
      removeLocked(w);
    }
  }

  private void removeLocked(Watcher w) {
    if (w.removed) {
      return;
    }
    w.removed = true;
    if (w.registered) {
      PathWatchers pw = byPath.get(w.key);
      if (pw != null && pw.setFor(w).remove(w)) {
        count.decrementAndGet();
        if (pw.isEmpty()) {
          byPath.remove(w.key);
        }
      }
    }
  }
}
