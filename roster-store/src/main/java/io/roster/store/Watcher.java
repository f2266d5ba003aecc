package io.roster.store;

/**
 * One watch (etcd {@code watcher.go}): what it watches, from which index, and where events go.
 * Mutable state is guarded by the hub's lock.
 */
final class Watcher implements Watch {
  final String key;
  final boolean recursive;
  final boolean stream;
  final long sinceIndex;
  final WatchSink sink;
  private final long etcdIndex;
  private final WatcherHub hub;

  /** Set once the watcher will never be offered anything again. Guarded by the hub's lock. */
  boolean removed;

  /** Whether it sits in the hub's path map. Guarded by the hub's lock. */
  boolean registered;

  /** Index of the last event offered; a watcher never sees one index twice (fixes E15). */
  long lastOffered;

  Watcher(
      WatcherHub hub,
      String key,
      boolean recursive,
      boolean stream,
      long sinceIndex,
      long etcdIndex,
      WatchSink sink) {
    this.hub = hub;
    this.key = key;
    this.recursive = recursive;
    this.stream = stream;
    this.sinceIndex = sinceIndex;
    this.etcdIndex = etcdIndex;
    this.sink = sink;
  }

  @Override
  public long etcdIndex() {
    return etcdIndex;
  }

  @Override
  public void cancel() {
    hub.remove(this);
  }

  @Override
  public String toString() {
    return "watch "
        + key
        + (recursive ? " recursive" : "")
        + (stream ? " stream" : "")
        + " since "
        + sinceIndex;
  }
}
