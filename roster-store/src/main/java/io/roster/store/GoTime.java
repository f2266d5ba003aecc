package io.roster.store;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

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

  /**
   * Go's {@code time.RFC3339Nano} in UTC: {@code 2026-11-24T21:40:40.27356999Z}; trailing zeros of
   * the fraction are trimmed and a zero fraction is left out.
   */
  static String rfc3339Nano(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
    int nanos = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND);
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(30);
    pad(sb, t.getYear(), 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append('T');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2);
    if (nanos != 0) {
      StringBuilder frac = new StringBuilder(9);
      pad(frac, nanos, 9);
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
    return sb.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
