package io.roster.lb.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 request, as the client stack sends it (possibly several times). Immutable: the body
 * array is copied in and must not be changed through {@link #body()}.
 *
 * <p>{@code idempotent} decides whether a request that may have reached the server can be sent
 * again (retried after a timeout or a 503, or hedged). It defaults to the method's semantics (RFC
 * 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT, DELETE); set it for a POST the server deduplicates.
 * A request that never reached the wire may be requeued whatever this says.
 *
 * @param method the method, upper case, e.g. {@code GET}
 * @param path the origin-form target, starting with {@code /} (path and query)
 * @param headers header names in lower case to values; {@code host} and {@code content-length} are
 *     set by the transport
 * @param body the body, empty for none
 * @param idempotent whether sending it twice is harmless
 */
@SuppressWarnings("ArrayRecordComponent")
public record HttpRequest(
    String method, String path, Map<String, String> headers, byte[] body, boolean idempotent) {
  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if the method is blank or the path does not start with {@code
   *     /}
   */
  public HttpRequest {
    if (method.isBlank() || !method.equals(method.toUpperCase(Locale.ROOT))) {
      throw new IllegalArgumentException("method must be non-blank upper case: " + method);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
    Map<String, String> lower = new LinkedHashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    headers = Map.copyOf(lower);
    body = body.clone();
  }

  /** A request with the method's default idempotency. */
  public static HttpRequest of(
      String method, String path, Map<String, String> headers, byte[] body) {
    return new HttpRequest(method, path, headers, body, IDEMPOTENT.contains(method));
  }

  /** {@code GET path}, idempotent. */
  public static HttpRequest get(String path) {
    return of("GET", path, Map.of(), new byte[0]);
  }

  /** {@code POST path} with {@code body}, not idempotent. */
  public static HttpRequest post(String path, byte[] body) {
    return of("POST", path, Map.of(), body);
  }

  /** The value of header {@code name} (any case), or null. */
  public @Nullable String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** A copy with header {@code name} set to {@code value} (replacing any earlier value). */
  public HttpRequest withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name.toLowerCase(Locale.ROOT), value);
    return new HttpRequest(method, path, h, body, idempotent);
  }

  /** A copy with every header of {@code extra} set (replacing earlier values). */
  public HttpRequest withHeaders(Map<String, String> extra) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    extra.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
    return new HttpRequest(method, path, h, body, idempotent);
  }

  /** A copy marked idempotent or not. */
  public HttpRequest withIdempotent(boolean idempotent) {
    return new HttpRequest(method, path, headers, body, idempotent);
  }
}
