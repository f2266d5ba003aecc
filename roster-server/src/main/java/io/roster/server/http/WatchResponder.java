package io.roster.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.roster.store.Event;
import io.roster.store.Watch;
import io.roster.store.WatchSink;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Streams a watch's events to its HTTP response: the store's {@link WatchSink} on one side, a
 * connection's event loop on the other.
 *
 * <p><b>Hand-off.</b> {@link #offer} runs on the store's applying thread with the store's lock
 * held, so it only counts the event and enqueues a task on the connection's event loop; it never
 * blocks and never touches the channel. The event loop writes the event's bytes (shared, never
 * copied) as one chunk and flushes. Because the registering request also runs on that event loop,
 * {@link #start} (which sends the headers) always precedes every delivery, even for an event that
 * history satisfies before {@code watch} returns.
 *
 * <p><b>Bound.</b> {@code pending} counts events offered and not yet written to the socket (the
 * write future completes when the bytes leave Netty's outbound buffer). When a slow or stalled
 * client lets it pass the backlog (etcd: a 100-event buffer), the offer is refused, which makes the
 * store drop the watch, and the response is ended after the events already queued, then the
 * connection is closed: the client sees a complete stream and must re-watch from its last index. So
 * a watcher's memory is bounded by backlog × event size, with no per-watcher thread or timer.
 *
 * <p><b>End.</b> A one-shot watch ends after its first event and the connection stays open for the
 * next request. A client that goes away cancels the watch at once (the connection keeps a read
 * posted while streaming), so watchers do not leak. When the store ends the watch because a
 * snapshot replaced it, the connection is closed without finishing the response: clients treat that
 * as a transport failure and watch again from their last index, on the new state.
 */
final class WatchResponder implements WatchSink {
  private final Exchange exchange;
  private final boolean stream;
  private final int backlog;
  private final HttpMetrics metrics;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicBoolean taken = new AtomicBoolean();
  private volatile boolean closed;
  private volatile boolean endedByStore;
  private @Nullable Watch watch;
  private boolean started;
  private boolean ended;

  WatchResponder(Exchange exchange, boolean stream, int backlog, HttpMetrics metrics) {
    this.exchange = exchange;
    this.stream = stream;
    this.backlog = backlog;
    this.metrics = metrics;
  }

  @Override
  public boolean offer(Event event) {
    if (closed || (!stream && taken.getAndSet(true))) {
      return false;
    }
    if (pending.incrementAndGet() > backlog) {
      closed = true;
      execute(() -> end(true));
      return false;
    }
    if (!execute(() -> deliver(event))) {
      closed = true;
      return false;
    }
    return true;
  }

  @Override
  public void ended() {
    endedByStore = true;
    closed = true;
    execute(this::abort);
  }

  private void abort() {
    if (ended || !started) {
      return;
    }
    ended = true;
    cancelWatch();
    exchange.onConnectionClosed(() -> {});
    exchange.abort();
  }

  /** The store accepted the watch: send the headers. Event loop. */
  void start(Watch w, HttpHeaders headers) {
    watch = w;
    if (endedByStore) {
      closed = true;
      exchange.abort();
      return;
    }
    if (!exchange.isOpen()) {
      closed = true;
      w.cancel();
      return;
    }
    started = true;
    metrics.watcherStarted();
    exchange.onConnectionClosed(this::connectionClosed);
    exchange.startStream(headers);
    exchange.watchStarted();
  }

  /** The store refused the watch (401): nothing will be offered. */
  void abandon() {
    closed = true;
  }

  private void deliver(Event event) {
    if (ended) {
      pending.decrementAndGet();
      return;
    }
    exchange.writeChunk(event.body(), pending::decrementAndGet);
    if (!stream) {
      end(false);
    }
  }

  private void end(boolean closeConnection) {
    if (ended || !started) {
      return;
    }
    ended = true;
    closed = true;
    cancelWatch();
    exchange.onConnectionClosed(() -> {});
    exchange.endStream(closeConnection);
  }

  private void connectionClosed() {
    if (ended) {
      return;
    }
    ended = true;
    closed = true;
    cancelWatch();
  }

  private void cancelWatch() {
    Watch w = watch;
    if (w != null) {
      w.cancel();
    }
    if (started) {
      started = false;
      metrics.watcherEnded();
    }
  }

  private boolean execute(Runnable task) {
    try {
      exchange.executor().execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }
}
