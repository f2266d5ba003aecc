package io.roster.store;

/**
 * A watch accepted by the store. A one-shot watch ends after its first event; a stream watch lasts
 * until {@link #cancel()} or until its sink refuses an event.
 *
 * <p>Thread-safe.
 */
public non-sealed interface Watch extends WatchResult {

  /**
   * The store index when the watch was accepted: what etcd sends as {@code X-Etcd-Index} on a watch
   * response. Clients must continue from {@code event.modifiedIndex + 1}, never from this.
   */
  long etcdIndex();

  /**
   * Removes the watch; idempotent, O(1), callable from any thread (including from within {@link
   * WatchSink#offer}). Waits only for an in-flight delivery to finish; no event is offered after
   * this returns.
   */
  void cancel();
}
