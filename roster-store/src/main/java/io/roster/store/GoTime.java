package io.roster.store;

import io.roster.api.GoTimeFormat;

/**
 * Time arithmetic on the replicated clock (epoch nanoseconds) as etcd does it with Go's {@code
 * time}: expiration from a TTL, the displayed {@code ttl}, and {@code RFC3339Nano} rendering.
 *
 * <p>All arithmetic saturates instead of overflowing: a TTL too large for the clock expires at
 * {@link Long#MAX_VALUE} (year 2262), which is as good as permanent. etcd overflows instead and may
 * show {@code "ttl":-1} for {@code ttl=2^64-1}; the server is expected to clamp or reject such
 * values before they reach the store.
 */
final class GoTime {
  static final long NANOS_PER_SECOND = 1_000_000_000L;

  private GoTime() {}

  /** {@code now + ttlSeconds * 1e9}, saturating at {@link Long#MAX_VALUE}. */
  static long expireAt(long now, long ttlSeconds) {
    if (ttlSeconds < 0) {
      throw new IllegalArgumentException("negative ttl " + ttlSeconds);
    }
    if (ttlSeconds > Long.MAX_VALUE / NANOS_PER_SECOND) {
      return Long.MAX_VALUE;
    }
    long delta = ttlSeconds * NANOS_PER_SECOND;
    long sum = now + delta;
    return ((now ^ sum) & (delta ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /**
   * The displayed ttl: {@code ceil((expireAt - now) / 1s)}, as etcd's {@code expirationAndTTL}
   * computes it; negative once overdue.
   */
  static long ttl(long expireAt, long now) {
    long diff = expireAt - now;
    if (((expireAt ^ now) & (expireAt ^ diff)) < 0) {
      diff = expireAt < now ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
    }
    if (diff == Long.MIN_VALUE) {
      diff = Long.MIN_VALUE + 1;
    }
    return -Math.floorDiv(-diff, NANOS_PER_SECOND);
  }

  /** Go's {@code time.RFC3339Nano} in UTC; see {@link GoTimeFormat#rfc3339Nano}. */
  static String rfc3339Nano(long epochNanos) {
    return GoTimeFormat.rfc3339Nano(epochNanos);
  }
}
