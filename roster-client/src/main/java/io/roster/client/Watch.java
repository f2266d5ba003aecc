package io.roster.client;

import io.roster.client.internal.WatchLoop;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A running watch on a key or prefix, made by {@link RosterClient#watch(String, WatchOptions)}
 * (queue mode: {@link #poll}/{@link #take}) or {@link RosterClient#watch(String, WatchOptions,
 * WatchListener)} (listener mode). It delivers every matching change exactly once and in index
 * order across reconnects and endpoint failover, or a {@link WatchEvent.Resync} when the server's
 * history no longer reaches back far enough.
 *
 * <p><b>Overflow policy.</b> Nothing is ever dropped on the client. In queue mode at most {@link
 * WatchOptions#queueCapacity()} events wait; when the queue is full the watch stops reading from
 * the server until the consumer takes one (backpressure). In listener mode the watch does not read
 * while the listener runs. A consumer that stays behind long enough for the server to cycle its
 * 1000-event history gets a Resync with a fresh snapshot instead of the missed events.
 *
 * <p>Each watch runs one daemon thread. A server-side etcd error other than 401 (e.g. 110 with auth
 * on) ends the watch; {@link #failure()} then tells why. Transport failures never end it: it
 * retries with backoff until closed. Thread-safe.
 */
public final class Watch implements AutoCloseable {
  private final WatchLoop loop;
  private final @Nullable BlockingQueue<WatchEvent> queue;

  private Watch(WatchLoop loop, @Nullable BlockingQueue<WatchEvent> queue) {
    this.loop = loop;
    this.queue = queue;
  }

  /** Builds the loop for a queue-mode watch and starts its thread. */
  static Watch queued(
      java.util.function.Function<WatchLoop.Sink, WatchLoop> loopFactory,
      String key,
      int capacity) {
    BlockingQueue<WatchEvent> q = new ArrayBlockingQueue<>(capacity);
    Watch w = new Watch(loopFactory.apply(q::put), q);
    w.start(key);
    return w;
  }

  /** Builds the loop for a listener-mode watch and starts its thread. */
  static Watch listening(
      java.util.function.Function<WatchLoop.Sink, WatchLoop> loopFactory,
      String key,
      WatchListener listener) {
    Watch w = new Watch(loopFactory.apply(listener::onEvent), null);
    w.start(key);
    return w;
  }

  private void start(String key) {
    Thread t = new Thread(loop, "roster-watch " + key);
    t.setDaemon(true);
    t.start();
  }

  /**
   * The next event, waiting up to {@code timeout}; {@code null} if none came in time or the watch
   * has ended and its queue is empty.
   *
   * @throws IllegalStateException if this watch delivers to a listener
   * @throws InterruptedException if interrupted while waiting
   */
  public @Nullable WatchEvent poll(Duration timeout) throws InterruptedException {
    BlockingQueue<WatchEvent> q = requireQueue();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      WatchEvent e =
          q.poll(Math.min(100, Math.max(0, remainingMillis(deadline))), TimeUnit.MILLISECONDS);
      if (e != null) {
        return e;
      }
      if (loop.ended() || remainingMillis(deadline) <= 0) {
        return q.poll();
      }
    }
  }

  /**
   * The next event, waiting as long as it takes.
   *
   * @throws IllegalStateException if this watch delivers to a listener, or has ended (closed or
   *     failed, see {@link #failure()}) and its queue is empty
   * @throws InterruptedException if interrupted while waiting
   */
  public WatchEvent take() throws InterruptedException {
    BlockingQueue<WatchEvent> q = requireQueue();
    while (true) {
      WatchEvent e = q.poll(100, TimeUnit.MILLISECONDS);
      if (e != null) {
        return e;
      }
      if (loop.ended()) {
        WatchEvent last = q.poll();
        if (last != null) {
          return last;
        }
        throw new IllegalStateException("watch ended", loop.failure());
      }
    }
  }

  private static long remainingMillis(long deadline) {
    return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
  }

  private BlockingQueue<WatchEvent> requireQueue() {
    BlockingQueue<WatchEvent> q = queue;
    if (q == null) {
      throw new IllegalStateException("this watch delivers to its listener");
    }
    return q;
  }

  /** The first store index not yet delivered: a new watch from here continues this one exactly. */
  public long nextIndex() {
    return loop.nextIndex();
  }

  /**
   * How far behind the server this watch may be: zero while a poll is parked at a server (the
   * server answered its headers as an etcd watch does and will send the next matching change the
   * moment it commits), otherwise the time since it last was — the poll is between answers, its
   * endpoint failed, or the watch is in backoff. A connection that dies without a reset (a
   * partition) is noticed only when the client's watch poll timeout ends the poll, so this is a
   * lower bound. Never blocks.
   */
  public Duration staleness() {
    return loop.parked()
        ? Duration.ZERO
        : Duration.ofNanos(Math.max(0, System.nanoTime() - loop.syncedNanos()));
  }

  /**
   * The store index up to which every matching change is known to have been delivered (a parked
   * poll, a delivered event or a resync snapshot vouched for it). Never blocks.
   */
  public long syncedIndex() {
    return loop.syncedIndex();
  }

  /** Whether the watch still runs (not closed, not failed). */
  public boolean isOpen() {
    return !loop.ended();
  }

  /** The etcd error that ended this watch, {@code null} if it runs or was closed. */
  public @Nullable RuntimeException failure() {
    return loop.failure();
  }

  /**
   * Stops the watch: the poll in flight is cancelled (the server drops its watcher when the
   * connection closes) and no event is delivered afterwards, except one already in a listener's
   * hands. Events already queued can still be polled. Idempotent; never blocks.
   */
  @Override
  public void close() {
    loop.close();
  }
}
