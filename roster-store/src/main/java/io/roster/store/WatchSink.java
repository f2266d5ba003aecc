package io.roster.store;

/**
 * Where a watch delivers its events. Implemented by the server (a Netty channel) and by tests.
 *
 * <p>{@link #offer} is called on the thread that applies mutations, with the store's lock held: it
 * must never block or do I/O beyond handing the event to a bounded, non-blocking queue (for example
 * Netty's {@code writeAndFlush}, which only enqueues).
 */
@FunctionalInterface
public interface WatchSink {

  /**
   * Offers one event.
   *
   * @return false if the sink is full or closed; the store then removes the watch (etcd drops a
   *     watcher whose 100-event buffer is full)
   */
  boolean offer(Event event);
}
