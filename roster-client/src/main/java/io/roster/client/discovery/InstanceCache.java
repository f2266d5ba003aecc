package io.roster.client.discovery;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.api.Action;
import io.roster.api.ErrorCode;
import io.roster.client.GetOptions;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;
import io.roster.client.Watch;
import io.roster.client.WatchEvent;
import io.roster.client.WatchOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current instances under one prefix ({@code /services/SERVICE} or {@code
 * /services/SERVICE/DATACENTER}), kept by one quorum read and then a gap-free watch from the read's
 * index (see {@link Watch}). Made by {@link ServiceDiscovery#watch}.
 *
 * <p><b>What changes the list.</b> Only the registry's own answers: watch events, the snapshot of a
 * resync after error 401, and confirmation reads. A registry outage, a member failing over, or an
 * endpoint answering garbage leaves the last known list in place while the watch retries (stale on
 * error), so an outage never empties it. Entries that are not instances (bad JSON, wrong depth) are
 * left out and logged; an entry that turns bad is removed.
 *
 * <p><b>Removal budget.</b> One update (an event, or a resync snapshot) may remove at most {@link
 * CacheOptions#maxRemovalShare()} of the instances on the watch's word alone. Beyond that the cache
 * re-reads the prefix with a quorum read — the linearizable truth, at an index at least that of the
 * update — and applies the read instead; until a read succeeds (retried with backoff) the list
 * stays as it was and no later event is applied. A mass disappearance therefore always reflects
 * what the cluster's quorum holds, never one member's or one connection's confusion.
 *
 * <p><b>Staleness.</b> {@link #staleness()} is zero while the watch is parked at a server with
 * every change up to that server's index applied; otherwise it is the time since that was last
 * true, or since the last full read. {@link #lastSyncIndex()} is the store index the list is known
 * complete up to.
 *
 * <p>Thread-safe. {@link #instances()} never blocks and returns an immutable snapshot sorted by
 * key; a snapshot never changes after it was returned. Listeners run on the watch thread after the
 * list is updated, one change at a time in index order; a listener that blocks delays later updates
 * (it loses none: the watch resyncs if it falls more than the server's history behind).
 */
public final class InstanceCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceCache.class);
  private static final long MIN_BACKOFF_MS = 100;

  private record Subscription(InstanceFilter filter, InstanceListener listener) {}

  private record Snapshot(TreeMap<String, ServiceInstance> byKey, long index) {}

  private final String root;
  private final String prefix;
  private final CacheOptions options;
  private final List<Subscription> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private final Object applying = new Object();
  private final AtomicLong resyncs = new AtomicLong();
  private final AtomicLong confirmations = new AtomicLong();

  @GuardedBy("lock")
  private TreeMap<String, ServiceInstance> byKey = new TreeMap<>();

  private volatile List<ServiceInstance> snapshot = List.of();
  private volatile long index;
  private volatile long readNanos = System.nanoTime();
  private volatile boolean closed;
  private volatile @Nullable RosterClient client;
  private volatile @Nullable Watch watch;

  InstanceCache(String root, String prefix, CacheOptions options) {
    this.root = root;
    this.prefix = prefix;
    this.options = options;
  }

  /** Quorum read, then the watch from the read's index; blocks for the read. */
  void start(RosterClient c) {
    client = c;
    Snapshot s = read(c);
    synchronized (lock) {
      byKey = s.byKey();
      snapshot = List.copyOf(byKey.values());
      index = s.index();
    }
    readNanos = System.nanoTime();
    watch =
        c.watch(
            prefix,
            WatchOptions.defaults().withRecursive(true).withFromIndex(s.index() + 1),
            this::apply);
  }

  /** Replaces the watch (called on the old watch's thread, which ends after this event). */
  private void restartWatch(long from) {
    Watch old = watch;
    if (old != null) {
      old.close();
    }
    if (!closed) {
      watch =
          Objects.requireNonNull(client)
              .watch(
                  prefix,
                  WatchOptions.defaults().withRecursive(true).withFromIndex(from),
                  this::apply);
      if (closed) {
        Objects.requireNonNull(watch).close();
      }
    }
  }

  /** The prefix this cache follows, e.g. {@code /services/svc/dc1}. */
  public String prefix() {
    return prefix;
  }

  /** The current instances, sorted by key. Immutable; never blocks. */
  public List<ServiceInstance> instances() {
    return snapshot;
  }

  /** The current instances that pass {@code filter}, sorted by key. Immutable; never blocks. */
  public List<ServiceInstance> instances(InstanceFilter filter) {
    List<ServiceInstance> out = new ArrayList<>();
    for (ServiceInstance i : snapshot) {
      if (filter.test(i)) {
        out.add(i);
      }
    }
    return List.copyOf(out);
  }

  /** The store index the list reflects (the last event or read applied). */
  public long index() {
    return index;
  }

  /**
   * The store index up to which the list is known to hold every change: at least {@link #index()},
   * more once a parked watch poll vouched that nothing happened in between.
   */
  public long lastSyncIndex() {
    Watch w = watch;
    return w == null ? index : Math.max(index, w.syncedIndex());
  }

  /**
   * How long the list may have been out of date: zero while the watch is parked at a server with
   * everything up to that server's index applied, otherwise the time since that, or the last full
   * read, was last true. Grows through an outage, a failover, a held removal and a slow listener. A
   * connection that dies without a reset is noticed only after the client's watch poll timeout, so
   * this is a lower bound. Never blocks.
   */
  public Duration staleness() {
    Watch w = watch;
    Duration sinceRead = Duration.ofNanos(Math.max(0, System.nanoTime() - readNanos));
    if (w == null) {
      return sinceRead;
    }
    Duration ws = w.staleness();
    return ws.compareTo(sinceRead) < 0 ? ws : sinceRead;
  }

  /** How many times the watch fell behind the server's history and the list was re-read. */
  public long resyncs() {
    return resyncs.get();
  }

  /** How many updates exceeded the removal budget and were replaced by a confirmation read. */
  public long confirmations() {
    return confirmations.get();
  }

  /** Adds a listener for later changes of every instance (not called for those already present). */
  public void addListener(InstanceListener listener) {
    addListener(InstanceFilter.all(), listener);
  }

  /**
   * Adds a listener that sees the list through {@code filter}: an instance that starts passing is
   * {@link InstanceListener#onAdded added}, one that stops passing (e.g. UP to DRAINING under
   * {@link InstanceFilter#up()}) is {@link InstanceListener#onRemoved removed}.
   */
  public void addListener(InstanceFilter filter, InstanceListener listener) {
    listeners.add(
        new Subscription(Objects.requireNonNull(filter), Objects.requireNonNull(listener)));
  }

  /** Removes every registration of {@code listener}. */
  public void removeListener(InstanceListener listener) {
    listeners.removeIf(s -> s.listener() == listener);
  }

  /** Stops the watch and any confirmation in progress; the list stays as it was. Idempotent. */
  @Override
  public void close() {
    closed = true;
    Watch w = watch;
    if (w != null) {
      w.close();
    }
  }

  /** Serializes updates: a replaced watch's last event and the new watch's first do not mix. */
  private void apply(WatchEvent event) {
    synchronized (applying) {
      applyInOrder(event);
    }
  }

  private void applyInOrder(WatchEvent event) {
    if (closed) {
      return;
    }
    TreeMap<String, ServiceInstance> before;
    synchronized (lock) {
      before = byKey;
    }
    TreeMap<String, ServiceInstance> next;
    long at;
    if (event instanceof WatchEvent.Resync r) {
      resyncs.incrementAndGet();
      next = new TreeMap<>();
      Node n = r.snapshot();
      if (n != null) {
        collect(n, next);
      }
      at = r.etcdIndex();
    } else {
      WatchEvent.Change c = (WatchEvent.Change) event;
      if (c.index() <= index) {
        return;
      }
      next = new TreeMap<>(before);
      change(c, next);
      at = c.index();
    }
    int removed = 0;
    for (String k : before.keySet()) {
      if (!next.containsKey(k)) {
        removed++;
      }
    }
    if (removed > 0 && removed > options.maxRemovalShare() * before.size()) {
      LOG.debug(
          "{}: an update at index {} removes {} of {} instances; confirming with a quorum read",
          prefix,
          at,
          removed,
          before.size());
      Snapshot confirmed = confirm();
      if (confirmed == null) {
        return;
      }
      confirmations.incrementAndGet();
      next = confirmed.byKey();
      readNanos = System.nanoTime();
      if (confirmed.index() < at) {
        LOG.warn(
            "{}: the watch reported index {} but a quorum read is only at {}; the watch's endpoint"
                + " is not to be trusted, watching again from the read",
            prefix,
            at,
            confirmed.index());
        at = confirmed.index();
        restartWatch(at + 1);
      }
    } else if (event instanceof WatchEvent.Resync) {
      readNanos = System.nanoTime();
    }
    synchronized (lock) {
      byKey = next;
      snapshot = List.copyOf(next.values());
      index = at;
    }
    notifyListeners(before, next);
  }

  /** Quorum reads until one succeeds; {@code null} if the cache was closed meanwhile. */
  private @Nullable Snapshot confirm() {
    long backoff = MIN_BACKOFF_MS;
    RosterClient c = Objects.requireNonNull(client);
    while (!closed) {
      try {
        return read(c);
      } catch (RuntimeException e) {
        LOG.debug("{}: confirmation read failed; list kept, retrying", prefix, e);
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      backoff = Math.min(backoff * 2, options.confirmBackoffMax().toMillis());
    }
    return null;
  }

  private Snapshot read(RosterClient c) {
    try {
      KeyResponse r =
          c.get(
              prefix, GetOptions.defaults().withRecursive(true).withSorted(true).withQuorum(true));
      TreeMap<String, ServiceInstance> m = new TreeMap<>();
      collect(r.node(), m);
      return new Snapshot(m, r.etcdIndex());
    } catch (RosterException e) {
      if (e.code() != ErrorCode.KEY_NOT_FOUND) {
        throw e;
      }
      return new Snapshot(new TreeMap<>(), e.index());
    }
  }

  private void change(WatchEvent.Change c, NavigableMap<String, ServiceInstance> m) {
    Node n = c.node();
    Action a = c.action();
    if (a == Action.DELETE || a == Action.EXPIRE || a == Action.COMPARE_AND_DELETE) {
      m.remove(n.key());
      Iterator<String> it = m.tailMap(n.key() + "/", true).keySet().iterator();
      while (it.hasNext()) {
        if (!it.next().startsWith(n.key() + "/")) {
          break;
        }
        it.remove();
      }
    } else if (!n.dir()) {
      ServiceInstance i = parse(n);
      if (i == null) {
        m.remove(n.key());
      } else {
        m.put(n.key(), i);
      }
    }
  }

  private void collect(Node n, Map<String, ServiceInstance> into) {
    if (n.dir()) {
      for (Node c : n.nodes()) {
        collect(c, into);
      }
    } else {
      ServiceInstance i = parse(n);
      if (i != null) {
        into.put(n.key(), i);
      }
    }
  }

  private @Nullable ServiceInstance parse(Node n) {
    String v = n.value();
    if (v == null) {
      return null;
    }
    try {
      return ServiceInstance.parse(root, n.key(), v);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring {}: {}", n.key(), e.getMessage());
      return null;
    }
  }

  private void notifyListeners(
      Map<String, ServiceInstance> before, Map<String, ServiceInstance> after) {
    if (listeners.isEmpty()) {
      return;
    }
    List<String> keys = new ArrayList<>();
    before.forEach(
        (k, old) -> {
          if (!old.equals(after.get(k))) {
            keys.add(k);
          }
        });
    after.forEach(
        (k, now) -> {
          if (!before.containsKey(k)) {
            keys.add(k);
          }
        });
    for (String k : keys) {
      ServiceInstance b = before.get(k);
      ServiceInstance a = after.get(k);
      for (Subscription s : listeners) {
        InstanceFilter f = s.filter();
        try {
          if (b != null && a != null && f.test(b) && f.test(a)) {
            s.listener().onChanged(b, a);
          } else if (b != null && f.test(b)) {
            s.listener().onRemoved(b);
          } else if (a != null && f.test(a)) {
            s.listener().onAdded(a);
          }
        } catch (RuntimeException e) {
          LOG.warn("instance listener failed", e);
        }
      }
    }
  }
}
