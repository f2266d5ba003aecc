package io.roster.client;

import org.jspecify.annotations.Nullable;

/**
 * The condition of a compareAndSwap or compareAndDelete: the current value and/or modifiedIndex the
 * node must have. Immutable.
 *
 * @param prevValue the value the node must hold, {@code null} for no condition on the value
 * @param prevIndex the modifiedIndex the node must have, 0 for no condition on the index
 */
public record Compare(@Nullable String prevValue, long prevIndex) {

  /** Validates that there is a condition, as etcd treats an empty one as none at all. */
  public Compare {
    if (prevValue != null && prevValue.isEmpty()) {
      throw new IllegalArgumentException("etcd treats an empty prevValue as no condition");
    }
    if (prevIndex < 0) {
      throw new IllegalArgumentException("negative prevIndex " + prevIndex);
    }
    if (prevValue == null && prevIndex == 0) {
      throw new IllegalArgumentException("a compare needs a prevValue or a prevIndex");
    }
  }

  /** The node must hold {@code value}. */
  public static Compare value(String value) {
    return new Compare(value, 0);
  }

  /** The node's modifiedIndex must be {@code index}. */
  public static Compare index(long index) {
    return new Compare(null, index);
  }
}
