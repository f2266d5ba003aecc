package io.roster.store;

/**
 * Where a watch delivers its events. Implemented by the server (a Netty channel) and by tests.
 *
 * <p>{@link #offer} is called with the store's lock held: for live events on the thread that
 * applies mutations, for history events on the thread calling {@link Store#watch} (before it
 * returns). Calls for one watch never overlap and arrive in index order. It must never block or do
 * I/O beyond handing the event to a bounded, non-blocking queue (for example Netty's {@code
 * writeAndFlush}, which only enqueues), and must not call the store's mutating methods. It may call
 * {@link Watch#cancel()}.
 */
@FunctionalInterface
public interface WatchSink {

  /**
   * Offers one event.
   *
   * @return false if the sink is full or closed; the store then removes the watch (etcd drops a
   *     watcher whose 100-event buffer is full). A sink that throws is treated as if it returned
   *     false; the exception is swallowed so that apply goes on.
   */
  boolean offer(Event event);

  /**
   * The store ended this watch without an event: the state it watched was replaced wholesale (a
   * snapshot installed from the leader), so events between the two states would be missing. The
   * sink must end its delivery so that its client watches again from its last index, on the new
   * state. Called at most once, with the store's lock held, possibly before {@link Store#watch}
   * returns; nothing is offered afterwards. The default does nothing.
   */
  default void ended() {}
}
