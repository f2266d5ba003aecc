package io.roster.client;

import io.roster.api.Action;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Watch} delivers: a {@link Change} for each matching write, in index order, or a
 * {@link Resync} when the server no longer had the history to continue gap-free. Immutable.
 */
public sealed interface WatchEvent permits WatchEvent.Change, WatchEvent.Resync {

  /**
   * One write that matched the watch, exactly as the server recorded it.
   *
   * @param action set, create, update, compareAndSwap, delete, compareAndDelete or expire
   * @param node the node after the write; its {@code modifiedIndex} is the event's index
   * @param prevNode the node before the write, if the action has one
   * @param etcdIndex the {@code X-Etcd-Index} header of the watch answer that carried it (the
   *     store's index when the server registered that poll, not the event's index), 0 if unknown
   */
  record Change(Action action, Node node, @Nullable Node prevNode, long etcdIndex)
      implements WatchEvent {

    /** A change without the answer's {@code X-Etcd-Index}. */
    public Change(Action action, Node node, @Nullable Node prevNode) {
      this(action, node, prevNode, 0);
    }

    /** The store index of this event. */
    public long index() {
      return node.modifiedIndex();
    }
  }

  /**
   * The events since the last delivered one were cleared from the server's history (error 401), so
   * the watch re-read the key: {@code snapshot} is its complete state at {@code etcdIndex}, and the
   * watch continues with changes after {@code etcdIndex}. A consumer replaces what it derived from
   * earlier events with the snapshot.
   *
   * @param snapshot the key (with its whole subtree for recursive watches), {@code null} if it did
   *     not exist
   * @param etcdIndex the store index of the snapshot
   */
  record Resync(@Nullable Node snapshot, long etcdIndex) implements WatchEvent {}
}
