package io.roster.lb.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One complete HTTP response. Immutable: the body array is copied in and must not be changed
 * through {@link #body()}.
 *
 * @param status the status code, 100–999
 * @param headers header names in lower case to values (the last value of a repeated header)
 * @param body the whole body
 */
@SuppressWarnings("ArrayRecordComponent")
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if the status is out of range
   */
  public HttpResponse {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status out of range: " + status);
    }
    Map<String, String> lower = new LinkedHashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    headers = Map.copyOf(lower);
    body = body.clone();
  }

  /** The value of header {@code name} (any case), or null. */
  public @Nullable String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
