package io.roster.client;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * TTL and refresh for a write. Immutable.
 *
 * <p>As in etcd, a write without a TTL makes the node permanent, even if it had a TTL before. A TTL
 * is sent in whole seconds, rounded up.
 *
 * @param ttl time to live, {@code null} for a permanent node
 * @param refresh only reset the TTL of an existing node: the value is kept and watchers are not
 *     told (etcd's {@code refresh=true}; needs a TTL, and the value sent must be empty)
 */
public record WriteOptions(@Nullable Duration ttl, boolean refresh) {
  private static final WriteOptions DEFAULTS = new WriteOptions(null, false);

  /** Validates the TTL. */
  public WriteOptions {
    if (ttl != null && ttl.isNegative()) {
      throw new IllegalArgumentException("negative ttl " + ttl);
    }
    if (refresh && ttl == null) {
      throw new IllegalArgumentException("a refresh needs a ttl");
    }
  }

  /** A permanent node, no refresh. */
  public static WriteOptions defaults() {
    return DEFAULTS;
  }

  /** A node that expires after {@code ttl} unless written or refreshed again. */
  public static WriteOptions ttlOf(Duration ttl) {
    return new WriteOptions(ttl, false);
  }

  /** The TTL in whole seconds, rounded up, or -1 without TTL. */
  long ttlSeconds() {
    Duration t = ttl;
    if (t == null) {
      return -1;
    }
    long s = t.getSeconds();
    return t.getNano() > 0 ? s + 1 : s;
  }
}
