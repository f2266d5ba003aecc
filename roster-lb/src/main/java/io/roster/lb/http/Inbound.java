package io.roster.lb.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an incoming request says about the calls made on its behalf, read from its {@link
 * RosterHeaders}: the time left to answer, and whether its caller is already retrying it. Pass it
 * to {@code LbClient.send(request, inbound)} so the outgoing calls inherit the deadline and obey
 * the one-layer retry rule. Immutable.
 *
 * @param remaining the caller's remaining budget when the request arrived, or null if it sent none
 * @param attempt the caller's attempt number, 1 if it sent none
 * @param receivedAtNanos when the request arrived, on the client's clock (so time spent in this
 *     server counts against the budget)
 */
public record Inbound(@Nullable Duration remaining, int attempt, long receivedAtNanos) {

  /** An incoming request without roster headers. */
  public static Inbound none(long nowNanos) {
    return new Inbound(null, 1, nowNanos);
  }

  /**
   * Reads {@link RosterHeaders#TIMEOUT_MS} and {@link RosterHeaders#ATTEMPT} from {@code headers}
   * (names in any case). Malformed or negative values are ignored, as if absent.
   */
  public static Inbound fromHeaders(Map<String, String> headers, long receivedAtNanos) {
    Duration remaining = null;
    int attempt = 1;
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      long v = parse(h.getValue());
      if (name.equals(RosterHeaders.TIMEOUT_MS) && v >= 0) {
        remaining = Duration.ofMillis(v);
      } else if (name.equals(RosterHeaders.ATTEMPT) && v >= 1) {
        attempt = (int) Math.min(v, Integer.MAX_VALUE);
      }
    }
    return new Inbound(remaining, attempt, receivedAtNanos);
  }

  /** Whether calls made for this request may be retried and hedged (attempt 1 only). */
  public boolean retriesAllowed() {
    return attempt <= 1;
  }

  /** The absolute deadline on the client's clock, or {@link Long#MAX_VALUE} if none. */
  public long deadlineNanos() {
    Duration r = remaining;
    return r == null ? Long.MAX_VALUE : receivedAtNanos + r.toNanos();
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
