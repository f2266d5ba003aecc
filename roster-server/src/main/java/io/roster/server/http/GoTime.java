package io.roster.server.http;

import io.roster.api.GoTimeFormat;
import java.time.Instant;

/**
 * Go's text forms of time that {@code /v2/stats/self} shows: {@code time.Time} in JSON (RFC 3339
 * with nanoseconds, trailing zeros trimmed, here always UTC) and {@code time.Duration.String()}
 * ({@code 2m14.472121842s}, {@code 1h0m0s}, {@code 350ms}, {@code 0s}).
 */
final class GoTime {
  private GoTime() {}

  /** Go {@code RFC3339Nano} in UTC. */
  static String rfc3339Nano(Instant t) {
    return GoTimeFormat.rfc3339Nano(
        Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano()));
  }

  /** Go {@code time.Duration.String()} of a nanosecond count. */
  static String duration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long u = Math.abs(nanos);
    if (u < 1_000_000_000L) {
      if (u < 1_000L) {
        return sign + u + "ns";
      }
      if (u < 1_000_000L) {
        return sign + (u / 1_000L) + fraction(u % 1_000L, 3) + "µs";
      }
      return sign + (u / 1_000_000L) + fraction(u % 1_000_000L, 6) + "ms";
    }
    long whole = u / 1_000_000_000L;
    String seconds = (whole % 60) + fraction(u % 1_000_000_000L, 9) + "s";
    if (whole < 60) {
      return sign + seconds;
    }
    long minutes = whole / 60;
    if (minutes < 60) {
      return sign + minutes + "m" + seconds;
    }
    return sign + (minutes / 60) + "h" + (minutes % 60) + "m" + seconds;
  }

  /** {@code .ddd} with {@code digits} places and trailing zeros trimmed; "" for zero. */
  private static String fraction(long value, int digits) {
    if (value == 0) {
      return "";
    }
    StringBuilder s = new StringBuilder(Long.toString(value));
    while (s.length() < digits) {
      s.insert(0, '0');
    }
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    return "." + s.substring(0, end);
  }
}
