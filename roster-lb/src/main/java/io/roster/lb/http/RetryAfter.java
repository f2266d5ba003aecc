package io.roster.lb.http;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a response's {@code Retry-After} (RFC 9110 §10.2.3) as a delay. Only {@code 429 Too Many
 * Requests} and {@code 503 Service Unavailable} are taken as pushback: the server asks not to be
 * sent this request again sooner. Stateless.
 */
public final class RetryAfter {
  /** No pushback: the response has no usable {@code Retry-After}. */
  public static final long NONE = -1;

  private RetryAfter() {}

  /**
   * The delay the response asks for, in nanoseconds, or {@link #NONE}. {@code Retry-After} is
   * either delay-seconds ({@code 120}) or an HTTP date, measured against {@code nowEpochMillis}; a
   * date in the past means 0. Malformed values are ignored.
   */
  public static long delayNanos(HttpResponse response, long nowEpochMillis) {
    if (response.status() != 429 && response.status() != 503) {
      return NONE;
    }
    return parse(response.header("retry-after"), nowEpochMillis);
  }

  static long parse(@Nullable String value, long nowEpochMillis) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    String v = value.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        long seconds = Long.parseLong(v);
        return seconds > Long.MAX_VALUE / 1_000_000_000L
            ? Long.MAX_VALUE
            : seconds * 1_000_000_000L;
      } catch (NumberFormatException e) {
        return Long.MAX_VALUE;
      }
    }
    try {
      long at =
          ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0, at - nowEpochMillis) * 1_000_000L;
    } catch (DateTimeParseException e) {
      return NONE;
    }
  }
}
