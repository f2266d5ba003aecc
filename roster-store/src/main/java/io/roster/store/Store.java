package io.roster.store;

import io.roster.api.Action;
import io.roster.api.ErrorCode;
import io.roster.store.Json.NodeFields;
import io.roster.store.OpCounters.Op;
import io.roster.store.Tree.Lookup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * The etcd v2 keyspace (etcd {@code v2store/store.go}): a tree of keys and directories, a global
 * index, the last 1000 events, watchers, and TTL expiry.
 *
 * <p><b>Determinism.</b> The store reads no clock. Every mutation takes {@code now}, the replicated
 * clock in nanoseconds since the epoch, carried by the log entry being applied; TTLs become {@code
 * expireAt = now + ttl} (saturating) and {@link #deleteExpired} removes what is due at the given
 * time. Replicas that apply the same mutations with the same arguments in the same order reach
 * byte-identical state, snapshots and events.
 *
 * <p><b>Threads.</b> Mutations are called by a single applying thread and take the write lock
 * (etcd's {@code worldLock}). Reads ({@link #get}, {@link #currentIndex}, {@link #stats}, {@link
 * #save}, {@link #nextExpiration}) and {@link #watch} may be called from any thread concurrently
 * with it; they take the read lock. Watch sinks are offered live events on the applying thread, and
 * history events on the thread calling {@link #watch}.
 *
 * <p><b>Keys.</b> Every key argument is a clean absolute path ({@code "/"} for the root, otherwise
 * {@code "/a/b"}: no trailing slash, no empty, "." or ".." segments). Path cleaning is the
 * caller's; a key that is not clean, or a negative TTL, is a programming error and throws {@link
 * IllegalArgumentException} before anything changes.
 *
 * <p><b>Results.</b> Every operation returns an {@link Outcome}: an {@link Event} (writes), a
 * {@link ReadResult} (get) or a {@link StoreError} carrying etcd's code, cause and the current
 * index. A failed operation changes nothing, index included. Every successful mutation, refreshes
 * and each expired node included, takes exactly one index and adds one event to the history.
 *
 * <p><b>Bounds.</b> History: the last {@value EventHistory#CAPACITY} events. Watchers: no count
 * limit here; each costs a few objects and the sink owns its buffer (etcd: 100 events), refusing
 * when full, which drops the watcher. Snapshot fields: {@value SnapshotFormat#MAX_BYTES} bytes.
 * Value and key sizes are bounded by the server's request limits.
 *
 * <p><b>Deliberate divergences from etcd 3.4.23.</b> (1) E15: a stream watcher is offered a deleted
 * or expired directory's event once, not twice. (2) E16: a stream watch whose {@code sinceIndex} is
 * met from history replays every matching history event and then continues live, with no gap and no
 * duplicate, where etcd sends one event and hangs. (3) Listings are always in key order, so
 * unsorted GETs are deterministic (etcd's order is random). (4) Expiry ties are broken by key (Go's
 * heap leaves them to chance). (5) TTL arithmetic saturates instead of overflowing; etcd's "expire
 * time before 2000 means permanent" rule is not copied (the replicated clock is never that old).
 * (6) A genuine U+FFFD in a value is written as its escape (see {@code JsonWriter}). (7) Failed
 * creates count once in the stats (etcd counts some both as set and create failures). Quirks E8,
 * E12, E13 and E14 are copied.
 *
 * <p>This file is past the 500-line guide because it holds the whole public contract, with Javadoc
 * on every operation, plus the operation semantics that need the lock and the index; tree walking,
 * rendering, history, watchers, expiry and snapshots each live in their own class.
 */
public final class Store {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  // @GuardedBy("lock"): the tree, its nodes, the history and the expiry queue.
  private final Tree tree;
  private final EventHistory history;
  private final ExpiryQueue expiry;

  /** Written under the write lock; volatile so {@link #currentIndex} needs no lock. */
  private volatile long currentIndex;

  private final WatcherHub hub = new WatcherHub();
  private final OpCounters counters = new OpCounters();

  private Store(Node root, long currentIndex, EventHistory history, ExpiryQueue expiry) {
    this.tree = new Tree(root);
    this.currentIndex = currentIndex;
    this.history = history;
    this.expiry = expiry;
  }

  /** A new, empty store at index 0. */
  public static Store create() {
    return new Store(Node.root(), 0, new EventHistory(), new ExpiryQueue());
  }

  /**
   * Reads a store written by {@link #save}: tree, index, TTLs and event history. Consumes exactly
   * the bytes {@code save} wrote. Counters start at zero and there are no watchers.
   *
   * @throws IOException if the stream is unreadable, truncated, corrupt, or not a store snapshot of
   *     a known version
   */
  public static Store restore(InputStream in) throws IOException {
    SnapshotFormat.State s = SnapshotFormat.read(in);
    return new Store(s.root(), s.currentIndex(), s.history(), s.expiry());
  }

  /**
   * Writes a consistent snapshot: tree, index, TTLs and event history (format in {@code
   * SnapshotFormat}). Mutations are blocked only while the state is encoded into memory, under the
   * read lock; the bytes are written to {@code out} after the lock is released. Equal states give
   * equal bytes. Does not close {@code out}.
   *
   * @throws IOException if writing to {@code out} fails
   */
  public void save(OutputStream out) throws IOException {
    byte[] bytes;
    lock.readLock().lock();
    try {
      bytes = SnapshotFormat.write(tree.root, currentIndex, history);
    } finally {
      lock.readLock().unlock();
    }
    out.write(bytes);
    out.flush();
  }

  /** {@link #save} into a byte array. */
  public byte[] saveToBytes() {
    lock.readLock().lock();
    try {
      return SnapshotFormat.write(tree.root, currentIndex, history);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@link #restore} from a byte array; the array must hold exactly one snapshot. */
  public static Store restore(byte[] snapshot) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(snapshot);
    Store s = restore(in);
    if (in.available() != 0) {
      throw new IOException("corrupt store snapshot: trailing bytes");
    }
    return s;
  }

  /**
   * etcd {@code Set}: PUT without prevExist or compare arguments. Replaces a file with a new node
   * (new createdIndex, E1) and clears or resets its TTL (E3); {@code dir} replaces a file by a
   * directory (E7); an existing directory gives 102 (E6). With {@code refresh} the node must exist,
   * keeps its value, and no live watcher is woken (E5). Creates missing parents without events.
   *
   * @param ttlSeconds null for a permanent node
   * @return {@code set} event (201 when nothing was replaced), or 100, 102, 104, 107
   */
  public Outcome set(
      String key, boolean dir, String value, @Nullable Long ttlSeconds, boolean refresh, long now) {
    check(key, ttlSeconds);
    lock.writeLock().lock();
    try {
      Lookup found = tree.lookup(key);
      Outcome o;
      if (found.error() == ErrorCode.NOT_DIR || (refresh && found.node() == null)) {
        o = fail(found);
      } else {
        String v = refresh ? Objects.requireNonNull(found.node()).value() : value;
        o = put(Action.SET, key, dir, v, ttlSeconds, true, refresh, now);
      }
      return counters.record(Op.SET, o);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * etcd {@code Create}: PUT prevExist=false, or POST ({@code unique}: an in-order key named by the
   * 20-digit, zero-padded index it will get, below {@code key}; allowed on the root).
   *
   * @return {@code create} event (201), or 104, 105, 107
   */
  public Outcome create(
      String key, boolean dir, String value, boolean unique, @Nullable Long ttlSeconds, long now) {
    check(key, ttlSeconds);
    lock.writeLock().lock();
    try {
      String k = unique ? Keys.child(key, String.format("%020d", currentIndex + 1)) : key;
      return counters.record(
          Op.CREATE, put(Action.CREATE, k, dir, value, ttlSeconds, false, false, now));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * etcd {@code Update}: PUT prevExist=true. A file gets {@code value} ("" when none was sent, E2);
   * a directory only its TTL, and a non-empty value gives 102. The TTL is reset to {@code
   * ttlSeconds}, or removed when null. A directory's event shows the new modifiedIndex while the
   * stored directory keeps its old one (E8, copied). With {@code refresh} the value is kept and no
   * live watcher is woken.
   *
   * @return {@code update} event, or 100, 102, 104, 107
   */
  public Outcome update(
      String key, String value, @Nullable Long ttlSeconds, boolean refresh, long now) {
    check(key, ttlSeconds);
    lock.writeLock().lock();
    try {
      return counters.record(Op.UPDATE, doUpdate(key, value, ttlSeconds, refresh, now));
    } finally {
      lock.writeLock().unlock();
    }
  }

  private Outcome doUpdate(
      String key, String value, @Nullable Long ttlSeconds, boolean refresh, long now) {
    if (key.equals(Keys.ROOT)) {
      return fail(ErrorCode.ROOT_READ_ONLY, Keys.ROOT);
    }
    Lookup found = tree.lookup(key);
    Node n = found.node();
    if (n == null) {
      return fail(found);
    }
    if (n.isDir() && !value.isEmpty()) {
      return fail(ErrorCode.NOT_FILE, key);
    }
    String v = refresh ? n.value() : value;
    long next = currentIndex + 1;
    byte[] body = Json.event(Action.UPDATE, fields(n, v, ttlSeconds, next, now), n, now);
    if (!n.isDir()) {
      n.setValue(v);
      n.modifiedIndex = next;
    }
    setTtl(n, ttlSeconds, now);
    return commit(Action.UPDATE, n, next, false, refresh, body, List.of());
  }

  /**
   * etcd {@code CompareAndSwap}; {@code prevValue} null or empty, or {@code prevIndex} 0, mean "no
   * condition" for that part. Keeps createdIndex; resets or removes the TTL like update.
   *
   * @return {@code compareAndSwap} event, or 100, 101 (cause {@code [prev != current]}, one per
   *     failed condition), 102, 104, 107
   */
  public Outcome compareAndSwap(
      String key,
      @Nullable String prevValue,
      long prevIndex,
      String value,
      @Nullable Long ttlSeconds,
      boolean refresh,
      long now) {
    check(key, ttlSeconds);
    lock.writeLock().lock();
    try {
      Outcome o;
      Node n = null;
      if (key.equals(Keys.ROOT)) {
        o = fail(ErrorCode.ROOT_READ_ONLY, Keys.ROOT);
      } else {
        Lookup found = tree.lookup(key);
        n = found.node();
        o = n == null ? fail(found) : checkFileAndCompare(n, key, prevValue, prevIndex);
      }
      if (o == null) {
        Node file = Objects.requireNonNull(n);
        String v = refresh ? file.value() : value;
        long next = currentIndex + 1;
        byte[] body =
            Json.event(Action.COMPARE_AND_SWAP, fields(file, v, ttlSeconds, next, now), file, now);
        file.setValue(v);
        file.modifiedIndex = next;
        setTtl(file, ttlSeconds, now);
        o = commit(Action.COMPARE_AND_SWAP, file, next, false, refresh, body, List.of());
      }
      return counters.record(Op.COMPARE_AND_SWAP, o);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * etcd {@code Delete}. A file goes whatever {@code dir} says; a directory needs {@code dir} (else
   * 102) and, when non-empty (hidden children count), {@code recursive} (else 108), which implies
   * {@code dir}. A recursive delete removes the whole subtree with one event.
   *
   * @return {@code delete} event (node without value; prevNode a non-recursive snapshot), or 100,
   *     102, 104, 107, 108
   */
  public Outcome delete(String key, boolean dir, boolean recursive, long now) {
    Keys.check(key);
    lock.writeLock().lock();
    try {
      Outcome o;
      if (key.equals(Keys.ROOT)) {
        o = fail(ErrorCode.ROOT_READ_ONLY, Keys.ROOT);
      } else {
        Lookup found = tree.lookup(key);
        Node n = found.node();
        if (n == null) {
          o = fail(found);
        } else if (n.isDir() && !(dir || recursive)) {
          o = fail(ErrorCode.NOT_FILE, key);
        } else if (n.isDir() && n.hasChildren() && !recursive) {
          o = fail(ErrorCode.DIR_NOT_EMPTY, key);
        } else {
          o = removeWithEvent(Action.DELETE, n, now);
        }
      }
      return counters.record(Op.DELETE, o);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * etcd {@code CompareAndDelete}: files only. No root check: the root answers 102 without a cause
   * (E10).
   *
   * @return {@code compareAndDelete} event, or 100, 101, 102, 104
   */
  public Outcome compareAndDelete(
      String key, @Nullable String prevValue, long prevIndex, long now) {
    Keys.check(key);
    lock.writeLock().lock();
    try {
      Lookup found = tree.lookup(key);
      Node n = found.node();
      Outcome o = n == null ? fail(found) : checkFileAndCompare(n, key, prevValue, prevIndex);
      if (o == null) {
        o = removeWithEvent(Action.COMPARE_AND_DELETE, Objects.requireNonNull(n), now);
      }
      return counters.record(Op.COMPARE_AND_DELETE, o);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Expires every node whose expiration is at or before {@code now}, earliest first (ties by key),
   * one index and one {@code expire} event each (etcd {@code DeleteExpiredKeys}). An expiring
   * directory takes its subtree with it in its one event; descendants due at the same time get no
   * event of their own.
   *
   * @return the expire events, in index order; empty if nothing was due
   */
  public List<Event> deleteExpired(long now) {
    lock.writeLock().lock();
    try {
      List<Event> events = new ArrayList<>();
      for (Node n = expiry.peek(); n != null && n.expireAt <= now; n = expiry.peek()) {
        Event e = (Event) removeWithEvent(Action.EXPIRE, n, now);
        counters.expired();
        events.add(e);
      }
      return events;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Moves every pending expiration {@code deltaNanos} later (saturating), as if the clock had stood
   * still for that long. The replicated state machine calls it, at the same log position on every
   * replica, for time during which nobody could refresh a TTL (no leader): etcd v3 renews its
   * leases on a leader change for the same reason. Takes no index and makes no event; the nodes'
   * displayed {@code expiration} and {@code ttl} change.
   *
   * @return how many nodes were postponed
   * @throws IllegalArgumentException if {@code deltaNanos} is negative
   */
  public int postponeExpirations(long deltaNanos) {
    if (deltaNanos < 0) {
      throw new IllegalArgumentException("negative delay " + deltaNanos);
    }
    lock.writeLock().lock();
    try {
      if (deltaNanos > 0) {
        expiry.postponeAll(deltaNanos);
      }
      return expiry.size();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * etcd {@code Get}, rendered straight from the tree under the read lock; {@code now} only
   * computes the displayed {@code ttl}. Children are always listed in key order (code points, as Go
   * compares bytes), so {@code sorted} needs no work and unsorted listings are deterministic.
   *
   * @return the {@code get} body at the current index, or 100 (cause: first missing prefix), 104
   */
  public Outcome get(String key, boolean recursive, boolean sorted, long now) {
    Keys.check(key);
    lock.readLock().lock();
    try {
      Lookup found = tree.lookup(key);
      Node n = found.node();
      Outcome o =
          n == null ? fail(found) : new ReadResult(currentIndex, Json.get(n, recursive, now));
      return counters.record(Op.GET, o);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Starts a watch (etcd {@code Watch}), atomically with respect to mutations: the history scan and
   * the registration happen under the read lock, so every event after {@code sinceIndex} is offered
   * exactly once. The path need not exist.
   *
   * <p>A one-shot watch gets the first matching event (from history if there is one, else live) and
   * ends. A stream watch gets every matching history event from {@code sinceIndex} on, then every
   * live one, with no gap and no duplicate (etcd sends only the first historical one and then
   * hangs: E16). History events are offered on the calling thread before this returns.
   *
   * @param sinceIndex first index of interest; 0 means "the next mutation"
   * @return a {@link Watch} (its {@link Watch#etcdIndex()} is the current index), or a {@link
   *     StoreError} 401 when {@code sinceIndex} has left the history
   */
  public WatchResult watch(
      String key, boolean recursive, boolean stream, long sinceIndex, WatchSink sink) {
    Keys.check(key);
    Objects.requireNonNull(sink, "sink");
    lock.readLock().lock();
    try {
      long current = currentIndex;
      long since = sinceIndex == 0 ? current + 1 : sinceIndex;
      if (!history.isEmpty() && Long.compareUnsigned(since, history.oldestIndex()) < 0) {
        return new StoreError(
            ErrorCode.EVENT_INDEX_CLEARED,
            "the requested history has been cleared ["
                + history.oldestIndex()
                + "/"
                + Long.toUnsignedString(since)
                + "]",
            current);
      }
      Watcher w = new Watcher(hub, key, recursive, stream, since, current, sink);
      hub.start(w, history);
      return w;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Ends every watch on this store and any started later, telling each sink {@link
   * WatchSink#ended}; for a store that is being replaced (a snapshot install). Mutations and reads
   * still work.
   *
   * @return how many watches were ended
   */
  public int endWatches() {
    lock.writeLock().lock();
    try {
      return hub.endAll();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The index of the last mutation; 0 for a new store. Lock-free. */
  public long currentIndex() {
    return currentIndex;
  }

  /** The earliest pending expiration (epoch nanoseconds), if any node has a TTL. O(1). */
  public OptionalLong nextExpiration() {
    lock.readLock().lock();
    try {
      Node n = expiry.peek();
      return n == null ? OptionalLong.empty() : OptionalLong.of(n.expireAt);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Operation counters, as {@code /v2/stats/store} reports them; {@code watchers} is the number of
   * live registered watchers. Counters are per member and start at zero after {@link #restore}.
   */
  public StoreStats stats() {
    return counters.snapshot(hub.count());
  }

  // ---- internals; all run under the write lock ----

  /** etcd {@code internalCreate}: create, or replace a file when {@code replace}. */
  private Outcome put(
      Action action,
      String key,
      boolean dir,
      String value,
      @Nullable Long ttlSeconds,
      boolean replace,
      boolean refresh,
      long now) {
    if (key.equals(Keys.ROOT)) {
      return fail(ErrorCode.ROOT_READ_ONLY, Keys.ROOT);
    }
    String parentKey = Keys.parent(key);
    Lookup parent = tree.lookup(parentKey);
    Node p = parent.node();
    if (parent.error() == ErrorCode.NOT_DIR) {
      return fail(parent);
    }
    if (p != null && !p.isDir()) {
      return fail(ErrorCode.NOT_DIR, p.key);
    }
    Node existing = p == null ? null : p.child(Keys.name(key));
    if (existing != null && (!replace || existing.isDir())) {
      return fail(replace ? ErrorCode.NOT_FILE : ErrorCode.NODE_EXIST, key);
    }
    long next = currentIndex + 1;
    boolean expires = ttlSeconds != null;
    long expireAt = ttlSeconds == null ? 0 : GoTime.expireAt(now, ttlSeconds);
    NodeFields fields = new NodeFields(key, dir ? null : value, dir, expires, expireAt, next, next);
    byte[] body = Json.event(action, fields, existing, now);
    if (existing != null) {
      existing.detach();
      expiry.remove(existing);
    }
    Node n = dir ? Node.dir(key, next, next) : Node.file(key, value, next, next);
    tree.mkdirs(parentKey, next).add(n);
    if (expires) {
      n.expires = true;
      n.expireAt = expireAt;
      expiry.add(n);
    }
    boolean created = action == Action.CREATE || existing == null;
    return commit(action, n, next, created, refresh, body, List.of());
  }

  /** Removes {@code n} with its subtree; renders the event first (prevNode = current state). */
  private Outcome removeWithEvent(Action action, Node n, long now) {
    long next = currentIndex + 1;
    NodeFields fields = new NodeFields(n.key, null, n.isDir(), false, 0, next, n.createdIndex);
    byte[] body = Json.event(action, fields, n, now);
    boolean collect = n.isDir() && hub.count() > 0;
    List<String> removed = collect ? new ArrayList<>() : List.of();
    Tree.remove(
        n,
        r -> {
          expiry.remove(r);
          if (collect) {
            removed.add(r.key);
          }
        });
    return commit(action, n, next, false, false, body, removed);
  }

  private Event commit(
      Action action,
      Node n,
      long index,
      boolean created,
      boolean refresh,
      byte[] body,
      List<String> removedPaths) {
    Event e = new Event(action, n.key, n.isDir(), index, created, refresh, body);
    currentIndex = index;
    history.add(e);
    if (!refresh) {
      hub.notify(e, removedPaths);
    }
    return e;
  }

  private void setTtl(Node n, @Nullable Long ttlSeconds, long now) {
    if (ttlSeconds == null) {
      n.expires = false;
      expiry.remove(n);
      return;
    }
    n.expireAt = GoTime.expireAt(now, ttlSeconds);
    if (n.expires) {
      expiry.update(n);
    } else {
      n.expires = true;
      expiry.add(n);
    }
  }

  private static NodeFields fields(
      Node n, String value, @Nullable Long ttlSeconds, long index, long now) {
    boolean expires = ttlSeconds != null;
    long expireAt = ttlSeconds == null ? 0 : GoTime.expireAt(now, ttlSeconds);
    return new NodeFields(
        n.key, n.isDir() ? null : value, n.isDir(), expires, expireAt, index, n.createdIndex);
  }

  /** 102 for a directory, 101 when a condition fails, null when the compare passes. */
  private @Nullable StoreError checkFileAndCompare(
      Node n, String key, @Nullable String prevValue, long prevIndex) {
    if (n.isDir()) {
      return fail(ErrorCode.NOT_FILE, n.isRoot() ? null : key);
    }
    boolean indexOk = prevIndex == 0 || prevIndex == n.modifiedIndex;
    boolean valueOk = prevValue == null || prevValue.isEmpty() || prevValue.equals(n.value());
    if (indexOk && valueOk) {
      return null;
    }
    String valueCause = "[" + prevValue + " != " + n.value() + "]";
    String indexCause =
        "["
            + Long.toUnsignedString(prevIndex)
            + " != "
            + Long.toUnsignedString(n.modifiedIndex)
            + "]";
    String cause = valueOk ? indexCause : indexOk ? valueCause : valueCause + " " + indexCause;
    return fail(ErrorCode.TEST_FAILED, cause);
  }

  private StoreError fail(Lookup l) {
    return fail(Objects.requireNonNull(l.error()), l.cause());
  }

  private StoreError fail(ErrorCode code, @Nullable String cause) {
    return new StoreError(code, cause, currentIndex);
  }

  private static void check(String key, @Nullable Long ttlSeconds) {
    Keys.check(key);
    if (ttlSeconds != null && ttlSeconds < 0) {
      throw new IllegalArgumentException("negative ttl " + ttlSeconds);
    }
  }
}
