package io.roster.client.internal;

import io.roster.api.ErrorCode;
import io.roster.client.KeyResponse;
import io.roster.client.RosterException;
import io.roster.client.RosterTransportException;
import io.roster.client.WatchEvent;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-poll loop behind a watch: one {@code GET ?wait=true&waitIndex=N} at a time, each answer
 * handed to a sink before the next poll.
 *
 * <p><b>Gap-free and duplicate-free.</b> The only state is {@code nextIndex}, the first index not
 * yet delivered. It moves in exactly two ways: after an event to {@code node.modifiedIndex + 1} (as
 * the Go client does), and after a resync to the snapshot's {@code X-Etcd-Index + 1}. It never
 * comes from a watch answer's {@code X-Etcd-Index}, which is the index when the poll was
 * registered: ahead of the event for history hits (skipping events), behind it for live ones
 * (repeating it) — etcd-v2-api.md §8.5. Everything else — an empty 200 (the server or a proxy ended
 * the poll), a poll that outlives {@code pollTimeout}, a reset connection, a member that is down,
 * garbage — polls again from the same {@code nextIndex}, on the next endpoint when the connection
 * failed, so nothing is lost or repeated across reconnects and failover.
 *
 * <p><b>Resync.</b> Error 401 means events from {@code nextIndex} left the server's 1000-event
 * history. The loop then reads the key (recursively for recursive watches), delivers it as {@link
 * WatchEvent.Resync} and continues after the read's {@code X-Etcd-Index}: the snapshot already
 * reflects every event up to that index, so nothing between is needed.
 *
 * <p><b>Backpressure.</b> The sink may block; while it does the loop does not poll. A consumer that
 * falls behind by more than the server's history therefore gets a resync instead of an unbounded
 * buffer anywhere.
 *
 * <p><b>Distrust.</b> An answer is an event only if it could be one: its index is at least the
 * poll's {@code waitIndex} and its key is the watched key, below it, or (a deleted parent) above
 * it. Anything else is treated like garbage — the endpoint is failed over and the poll repeated
 * from the same index — so a confused endpoint can neither rewind the watch nor inject foreign
 * keys.
 *
 * <p><b>Freshness.</b> A poll is parked when its headers arrive as etcd sends them for a waiting
 * watch (200 with an {@code X-Etcd-Index} not below what was delivered): from then until the poll
 * ends the watch is as current as that member, which {@link #parked()}, {@link #syncedNanos()} and
 * {@link #syncedIndex()} expose for staleness figures.
 *
 * <p>Failed polls are retried after a jittered exponential backoff from 100 ms to 5 s, reset by
 * every answer. Any other etcd error ends the loop with that error. One thread runs the loop;
 * {@link #close()} may be called from any thread (including the sink's).
 */
public final class WatchLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchLoop.class);
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  /** Where events go; may block (backpressure). */
  @FunctionalInterface
  public interface Sink {
    void accept(WatchEvent event) throws InterruptedException;
  }

  private final HttpTransport transport;
  private final String key;
  private final String path;
  private final boolean recursive;
  private final Duration headerTimeout;
  private final Duration pollTimeout;
  private final Sink sink;
  private volatile long nextIndex;
  private volatile boolean closed;
  private volatile @Nullable RuntimeException failure;
  private volatile @Nullable CompletableFuture<?> inFlight;
  private volatile @Nullable Thread thread;
  private volatile boolean parked;
  private volatile long syncedNanos = System.nanoTime();
  private volatile long syncedIndex;

  public WatchLoop(
      HttpTransport transport,
      String key,
      boolean recursive,
      long fromIndex,
      Duration headerTimeout,
      Duration pollTimeout,
      Sink sink) {
    this.transport = transport;
    this.key = key;
    this.path = Wire.keyPath(key);
    this.recursive = recursive;
    this.nextIndex = fromIndex;
    this.syncedIndex = fromIndex - 1;
    this.headerTimeout = headerTimeout;
    this.pollTimeout = pollTimeout;
    this.sink = sink;
  }

  /**
   * The store's current index as the pinned member reports it for {@code key} (present or not): a
   * watch from this index + 1 sees exactly the changes after this call. Blocks for one read.
   *
   * @throws RosterException for an etcd error other than 100
   * @throws RosterTransportException if no endpoint answered
   */
  public static long currentIndex(HttpTransport transport, String key) {
    RawResponse r = await(transport.send("GET", Wire.keyPath(key), null, false));
    if (r.status() == 200) {
      Wire.keyResponse(r);
      return r.longHeader("X-Etcd-Index");
    }
    RuntimeException e = Wire.error(r);
    if (e instanceof RosterException && ((RosterException) e).code() == ErrorCode.KEY_NOT_FOUND) {
      return ((RosterException) e).index();
    }
    throw e;
  }

  private static RawResponse await(CompletableFuture<RawResponse> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new RosterTransportException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable t = HttpTransport.unwrap(e);
      throw t instanceof RuntimeException
          ? (RuntimeException) t
          : new RosterTransportException(t.toString(), t);
    }
  }

  /** The first index not yet delivered. */
  public long nextIndex() {
    return nextIndex;
  }

  /**
   * Whether a poll is parked at a server right now: the server answered its headers (with an {@code
   * X-Etcd-Index}, so it speaks etcd) and holds it open until the next matching change. While
   * parked the watch is as current as that server; a connection that died silently is only noticed
   * when the poll timeout ends the poll.
   */
  public boolean parked() {
    return parked && !closed;
  }

  /** {@link System#nanoTime()} when the watch was last known current (see {@link #parked()}). */
  public long syncedNanos() {
    return syncedNanos;
  }

  /** The store index up to which every matching change is known to have been delivered. */
  public long syncedIndex() {
    return syncedIndex;
  }

  /** The error that ended the loop, if one did. */
  public @Nullable RuntimeException failure() {
    return failure;
  }

  /** Whether the loop has ended (closed or failed). */
  public boolean ended() {
    return closed;
  }

  /** Stops the loop: cancels the poll in flight and interrupts the loop's thread. Idempotent. */
  public void close() {
    closed = true;
    CompletableFuture<?> f = inFlight;
    if (f != null) {
      f.cancel(true);
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    long backoff = MIN_BACKOFF_MS;
    try {
      while (!closed) {
        if (pollOnce()) {
          backoff = MIN_BACKOFF_MS;
        } else {
          long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
          Thread.sleep(jittered);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      }
    } catch (InterruptedException e) {
      if (!closed) {
        failure = new RosterTransportException("watch thread interrupted", e);
      }
    } catch (RosterException e) {
      failure = e;
    } finally {
      closed = true;
    }
  }

  /** One poll; true if it got an answer, false if the next poll should wait (backoff). */
  private boolean pollOnce() throws InterruptedException {
    URI endpoint = transport.endpoints().pinned();
    long waitIndex = nextIndex;
    String query = "?wait=true&recursive=" + recursive + "&waitIndex=" + waitIndex;
    CompletableFuture<HttpResponse<String>> f =
        transport.sendOnce(endpoint, path + query, headerTimeout, info -> parked(info, waitIndex));
    inFlight = f;
    if (closed) {
      f.cancel(true);
      return true;
    }
    HttpResponse<String> resp;
    try {
      resp = f.get(pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
      parked = false;
    } catch (TimeoutException e) {
      parked = false;
      f.cancel(true);
      return true;
    } catch (CancellationException e) {
      parked = false;
      return true;
    } catch (ExecutionException e) {
      parked = false;
      Throwable t = HttpTransport.unwrap(e);
      if (!closed) {
        LOG.debug("watch {} at {}: poll failed; failing over", key, endpoint, t);
        if (t instanceof java.net.http.HttpTimeoutException
            && !(t instanceof HttpConnectTimeoutException)) {
          LOG.debug("watch {}: {} sent no headers within {}", key, endpoint, headerTimeout);
        }
        transport.endpoints().failed(endpoint);
      }
      return false;
    }
    RawResponse raw = new RawResponse(endpoint, resp.statusCode(), resp.headers(), resp.body());
    if (raw.status() == 200) {
      if (raw.body().isBlank()) {
        return false;
      }
      try {
        KeyResponse event =
            Wire.event(Wire.parse(raw), endpoint, raw.longHeader("X-Etcd-Index"), 0, 0);
        check(event, waitIndex, endpoint);
        deliver(
            new WatchEvent.Change(
                event.action(), event.node(), event.prevNode(), event.etcdIndex()));
        nextIndex = event.node().modifiedIndex() + 1;
        syncedIndex = Math.max(syncedIndex, event.node().modifiedIndex());
        return true;
      } catch (RosterTransportException e) {
        LOG.warn("watch {}: bad answer from {}; failing over", key, endpoint, e);
        transport.endpoints().failed(endpoint);
        return false;
      }
    }
    RuntimeException err = Wire.error(raw);
    if (err instanceof RosterException) {
      RosterException re = (RosterException) err;
      if (re.code() == ErrorCode.EVENT_INDEX_CLEARED) {
        return resync();
      }
      throw re;
    }
    LOG.warn("watch {}: {}; failing over", key, err.getMessage());
    transport.endpoints().failed(endpoint);
    return false;
  }

  /**
   * Marks the poll parked when the server answers its headers as an etcd watch does: status 200
   * with an {@code X-Etcd-Index} of at least {@code waitIndex - 1}. Everything before {@code
   * waitIndex} is delivered, so the watch is as current as that server. A server whose index is
   * below what was already delivered (a lagging member, or not etcd at all) does not count.
   */
  private void parked(HttpResponse.ResponseInfo info, long waitIndex) {
    if (info.statusCode() != 200 || closed) {
      return;
    }
    String h = info.headers().firstValue("X-Etcd-Index").orElse("");
    long at;
    try {
      at = Long.parseLong(h.trim());
    } catch (NumberFormatException e) {
      return;
    }
    if (at < waitIndex - 1) {
      return;
    }
    syncedIndex = Math.max(syncedIndex, Math.min(at, waitIndex - 1));
    syncedNanos = System.nanoTime();
    parked = true;
  }

  /**
   * Rejects an event that cannot be the answer to this poll, so a confused or hostile endpoint
   * cannot rewind the watch (an index before {@code waitIndex} would deliver old events again) or
   * inject changes of unrelated keys. A key is related when it is the watched key, below it
   * (recursive watches), or above it (a deleted or expired parent directory is reported with its
   * own key to the watchers below it).
   */
  private void check(KeyResponse event, long waitIndex, URI endpoint) {
    long index = event.node().modifiedIndex();
    if (index < waitIndex) {
      throw new RosterTransportException(
          endpoint + " answered a watch from index " + waitIndex + " with an event at " + index);
    }
    String watched = normalized(key);
    String k = normalized(event.node().key());
    boolean related =
        k.equals(watched)
            || watched.equals("/")
            || (recursive && k.startsWith(watched + "/"))
            || watched.startsWith(k.equals("/") ? "/" : k + "/");
    if (!related) {
      throw new RosterTransportException(
          endpoint + " answered a watch of " + watched + " with an event for " + k);
    }
  }

  private static String normalized(String k) {
    String s = k.startsWith("/") ? k : "/" + k;
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private boolean resync() throws InterruptedException {
    WatchEvent.Resync resync;
    try {
      RawResponse r =
          transport
              .send("GET", path + "?recursive=" + recursive + "&sorted=true", null, false)
              .get();
      if (r.status() == 200) {
        KeyResponse k = Wire.keyResponse(r);
        resync = new WatchEvent.Resync(k.node(), k.etcdIndex());
      } else {
        RuntimeException e = Wire.error(r);
        if (e instanceof RosterException
            && ((RosterException) e).code() == ErrorCode.KEY_NOT_FOUND) {
          resync = new WatchEvent.Resync(null, ((RosterException) e).index());
        } else {
          throw e;
        }
      }
    } catch (ExecutionException | RosterTransportException e) {
      LOG.debug("watch {}: resync read failed; will retry", key, e);
      return false;
    }
    deliver(resync);
    nextIndex = resync.etcdIndex() + 1;
    syncedIndex = Math.max(syncedIndex, resync.etcdIndex());
    syncedNanos = System.nanoTime();
    return true;
  }

  private void deliver(WatchEvent event) throws InterruptedException {
    if (closed) {
      return;
    }
    try {
      sink.accept(event);
    } catch (RuntimeException e) {
      LOG.warn("watch {}: listener failed on {}", key, event, e);
    }
  }
}
