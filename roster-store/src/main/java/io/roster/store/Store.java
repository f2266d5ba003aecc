package io.roster.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The etcd v2 keyspace (etcd {@code v2store/store.go}): a tree of keys and directories, a global
 * index, the last 1000 events, watchers, and TTL expiry.
 *
 * <p><b>Determinism.</b> The store reads no clock. Every mutation takes {@code now}, the replicated
 * clock in nanoseconds since the epoch, carried by the log entry being applied; TTLs become {@code
 * expireAt = now + ttl} and {@link #deleteExpired} removes what is due at the given time. Replicas
 * that apply the same mutations with the same arguments in the same order reach byte-identical
 * state, snapshots and events.
 *
 * <p><b>Threads.</b> Mutations are called by a single applying thread. Reads ({@link #get}, {@link
 * #currentIndex}, {@link #stats}, {@link #save}) and {@link #watch} may be called from any thread
 * concurrently with it. Watch sinks are offered events on the applying thread.
 *
 * <p><b>Keys.</b> Every key argument is a clean absolute path ({@code "/"} for the root, otherwise
 * {@code "/a/b"}: no trailing slash, no empty, "." or ".." segments). Path cleaning is the
 * caller's.
 */
public final class Store {

  /** A new, empty store at index 0. */
  public static Store create() {
    throw new UnsupportedOperationException("store: being written");
  }

  /**
   * Reads a store written by {@link #save}: tree, index, TTLs and event history.
   *
   * @throws IOException if the stream is unreadable or not a store snapshot of a known version
   */
  public static Store restore(InputStream in) throws IOException {
    throw new UnsupportedOperationException("store: being written");
  }

  /**
   * Writes a consistent snapshot: tree, index, TTLs and event history. Blocks mutations meanwhile.
   */
  public void save(OutputStream out) throws IOException {
    throw new UnsupportedOperationException("store: being written");
  }

  /** etcd {@code Set}: PUT without prevExist or compare arguments. */
  public Outcome set(
      String key, boolean dir, String value, @Nullable Long ttlSeconds, boolean refresh, long now) {
    throw new UnsupportedOperationException("store: being written");
  }

  /** etcd {@code Create}: PUT prevExist=false, or POST ({@code unique}: an in-order key). */
  public Outcome create(
      String key, boolean dir, String value, boolean unique, @Nullable Long ttlSeconds, long now) {
    throw new UnsupportedOperationException("store: being written");
  }

  /** etcd {@code Update}: PUT prevExist=true. */
  public Outcome update(
      String key, String value, @Nullable Long ttlSeconds, boolean refresh, long now) {
    throw new UnsupportedOperationException("store: being written");
  }

  /**
   * etcd {@code CompareAndSwap}; {@code prevValue} null or {@code prevIndex} 0 mean "no condition".
   */
  public Outcome compareAndSwap(
      String key,
      @Nullable String prevValue,
      long prevIndex,
      String value,
      @Nullable Long ttlSeconds,
      boolean refresh,
      long now) {
    throw new UnsupportedOperationException("store: being written");
  }

  /** etcd {@code Delete}. */
  public Outcome delete(String key, boolean dir, boolean recursive, long now) {
    throw new UnsupportedOperationException("store: being written");
  }

  /** etcd {@code CompareAndDelete}. */
  public Outcome compareAndDelete(
      String key, @Nullable String prevValue, long prevIndex, long now) {
    throw new UnsupportedOperationException("store: being written");
  }

  /**
   * Expires every node whose expiration is at or before {@code now}, earliest first, one index and
   * one {@code expire} event each (etcd {@code DeleteExpiredKeys}).
   */
  public List<Event> deleteExpired(long now) {
    throw new UnsupportedOperationException("store: being written");
  }

  /** etcd {@code Get}; {@code now} only computes the displayed {@code ttl}. */
  public Outcome get(String key, boolean recursive, boolean sorted, long now) {
    throw new UnsupportedOperationException("store: being written");
  }

  /**
   * Starts a watch (etcd {@code Watch}).
   *
   * @param sinceIndex first index of interest; 0 means "the next mutation"
   * @return a {@link Watch}, or a {@link StoreError} 401 when {@code sinceIndex} has left the
   *     history. When history already holds a matching event, it is offered to {@code sink} before
   *     this returns (a one-shot watch is then already over).
   */
  public WatchResult watch(
      String key, boolean recursive, boolean stream, long sinceIndex, WatchSink sink) {
    throw new UnsupportedOperationException("store: being written");
  }

  /** The index of the last mutation; 0 for a new store. */
  public long currentIndex() {
    throw new UnsupportedOperationException("store: being written");
  }

  /** The earliest pending expiration (epoch nanoseconds), if any node has a TTL. O(1). */
  public OptionalLong nextExpiration() {
    throw new UnsupportedOperationException("store: being written");
  }

  /** Operation counters, as {@code /v2/stats/store} reports them. */
  public StoreStats stats() {
    throw new UnsupportedOperationException("store: being written");
  }
}
