package io.roster.api;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Times as etcd writes them: Go's {@code time.RFC3339Nano} in UTC, the format of a node's {@code
 * expiration} and of the stats' start times. One implementation for server, client and CLI.
 */
public final class GoTimeFormat {
  private static final long NANOS = 1_000_000_000L;

  private GoTimeFormat() {}

  /**
   * Go's {@code time.RFC3339Nano} in UTC: {@code 2026-11-24T21:40:40.27356999Z}; trailing zeros of
   * the fraction are trimmed and a zero fraction is left out.
   */
  public static String rfc3339Nano(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, NANOS);
    int nanos = (int) Math.floorMod(epochNanos, NANOS);
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
