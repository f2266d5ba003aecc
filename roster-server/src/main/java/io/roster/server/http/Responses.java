package io.roster.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.roster.store.StoreError;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The response shapes that are not a handler's own: Go's {@code http.Error} plain text (404, 405),
 * Go's clean-path redirect, etcd's {@code {"message":…}} errors of the non-keys endpoints, and
 * etcd's keys error (exact body from {@link StoreError#body()}, {@code X-Etcd-Index} = its index,
 * no {@code X-Raft-*}).
 */
final class Responses {
  static final String JSON = "application/json";
  static final String TEXT = "text/plain; charset=utf-8";

  private Responses() {}

  /** Go {@code http.NotFound}: 404 {@code 404 page not found\n}, text/plain, nosniff. */
  static void notFound(Exchange ex) {
    goError(ex, HttpResponseStatus.NOT_FOUND, "404 page not found", ex.headers());
  }

  /**
   * etcd's {@code allowMethod} answer: 405 {@code Method Not Allowed\n} with {@code Allow} (left
   * out when null).
   */
  static void methodNotAllowed(Exchange ex, @Nullable String allow, HttpHeaders headers) {
    if (allow != null) {
      headers.set("Allow", allow);
    }
    goError(ex, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed", headers);
  }

  /** Go {@code http.Error}: the text plus a newline, text/plain, nosniff. */
  static void goError(Exchange ex, HttpResponseStatus status, String text, HttpHeaders headers) {
    headers.set("Content-Type", TEXT);
    headers.set("X-Content-Type-Options", "nosniff");
    ex.send(status, headers, (text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Go's {@code http.Redirect} with 301: {@code Location}; for GET and HEAD an HTML body (HEAD: its
   * type but no length, as Go sends it), for other methods an empty body.
   */
  static void redirect(Exchange ex, String location) {
    HttpHeaders h = ex.headers();
    String loc = hexEscapeNonAscii(location);
    boolean html = ex.method().equals("GET") || ex.method().equals("HEAD");
    if (html) {
      h.set("Content-Type", "text/html; charset=utf-8");
    }
    h.set("Location", loc);
    byte[] body =
        html
            ? ("<a href=\"" + htmlEscape(loc) + "\">Moved Permanently</a>.\n\n")
                .getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    ex.send(HttpResponseStatus.MOVED_PERMANENTLY, h, body, !ex.method().equals("HEAD"));
  }

  /** etcd's {@code writeError} for non-keys endpoints: {@code {"message":…}}, no newline. */
  static void message(
      Exchange ex, HttpResponseStatus status, String message, @Nullable String clusterId) {
    HttpHeaders h = ex.headers();
    h.set("Content-Type", JSON);
    if (clusterId != null) {
      h.set("X-Etcd-Cluster-Id", clusterId);
    }
    ex.send(
        status,
        h,
        new JsonText().beginObject().field("message", message).endObject().toBytes(false));
  }

  /** etcd's keys error: its status, exact body, {@code X-Etcd-Index} = the error's index. */
  static void keysError(Exchange ex, String clusterId, StoreError error) {
    HttpHeaders h = ex.headers();
    h.set("Content-Type", JSON);
    h.set("X-Etcd-Cluster-Id", clusterId);
    h.set("X-Etcd-Index", Long.toString(error.index()));
    ex.send(HttpResponseStatus.valueOf(error.httpStatus()), h, error.body());
  }

  /** A JSON success body with etcd's JSON content type. */
  static void json(Exchange ex, HttpHeaders h, byte[] body) {
    h.set("Content-Type", JSON);
    ex.send(HttpResponseStatus.OK, h, body);
  }

  private static String htmlEscape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&#34;")
        .replace("'", "&#39;");
  }

  /** Go's {@code hexEscapeNonASCII}: bytes above 0x7f (of a byte string) as {@code %XX}. */
  private static String hexEscapeNonAscii(String bytes) {
    StringBuilder out = new StringBuilder(bytes.length());
    for (int i = 0; i < bytes.length(); i++) {
      char c = bytes.charAt(i);
      if (c >= 0x80) {
        out.append('%').append(String.format("%02x", (int) c & 0xff));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
