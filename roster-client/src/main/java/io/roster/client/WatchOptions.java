package io.roster.client;

/**
 * What and how to watch. Immutable.
 *
 * @param recursive also deliver changes of every (non-hidden) descendant of the key
 * @param fromIndex the first store index to deliver; 0 means "changes after the watch starts"
 * @param queueCapacity how many undelivered events a queue-mode watch buffers before it stops
 *     reading from the server (see {@link Watch} for the overflow policy)
 */
public record WatchOptions(boolean recursive, long fromIndex, int queueCapacity) {
  private static final WatchOptions DEFAULTS = new WatchOptions(false, 0, 256);

  /** Validates the figures. */
  public WatchOptions {
    if (fromIndex < 0) {
      throw new IllegalArgumentException("negative fromIndex " + fromIndex);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1: " + queueCapacity);
    }
  }

  /** The key only, from now on, a queue of 256 events. */
  public static WatchOptions defaults() {
    return DEFAULTS;
  }

  /** A copy with {@code recursive} set. */
  public WatchOptions withRecursive(boolean recursive) {
    return new WatchOptions(recursive, fromIndex, queueCapacity);
  }

  /** A copy starting at {@code fromIndex}. */
  public WatchOptions withFromIndex(long fromIndex) {
    return new WatchOptions(recursive, fromIndex, queueCapacity);
  }

  /** A copy with another queue capacity. */
  public WatchOptions withQueueCapacity(int queueCapacity) {
    return new WatchOptions(recursive, fromIndex, queueCapacity);
  }
}
