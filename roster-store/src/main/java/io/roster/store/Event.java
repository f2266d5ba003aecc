package io.roster.store;

import io.roster.api.Action;

/**
 * One mutation of the keyspace, as etcd reports it: {@code {"action","node","prevNode"}}. Events
 * are immutable; the JSON is rendered once, when the event is created, and shared by the write's
 * response, the event history and every watcher.
 */
public final class Event implements Outcome {
  private final Action action;
  private final String key;
  private final boolean dir;
  private final long index;
  private final boolean created;
  private final boolean refresh;
  private final byte[] body;

  /**
   * @param key the node's key ("/a/b"; "/" for the root)
   * @param dir whether the node is a directory
   * @param index the index of this mutation (the node's new modifiedIndex)
   * @param created whether the write created a node where none was: answers 201 instead of 200
   * @param refresh a TTL refresh: takes an index and a history slot but wakes no watcher
   * @param body the rendered event JSON plus newline
   */
  public Event(
      Action action,
      String key,
      boolean dir,
      long index,
      boolean created,
      boolean refresh,
      byte[] body) {
    this.action = action;
    this.key = key;
    this.dir = dir;
    this.index = index;
    this.created = created;
    this.refresh = refresh;
    this.body = body;
  }

  public Action action() {
    return action;
  }

  public String key() {
    return key;
  }

  public boolean dir() {
    return dir;
  }

  @Override
  public long index() {
    return index;
  }

  public boolean refresh() {
    return refresh;
  }

  /** 201 for {@code create} and for a {@code set} that replaced nothing, otherwise 200. */
  @Override
  public int httpStatus() {
    return created ? 201 : 200;
  }

  @Override
  public byte[] body() {
    return body;
  }

  @Override
  public String toString() {
    return action.wire() + " " + key + "@" + index;
  }
}
