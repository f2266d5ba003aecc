package io.roster.server.http;

import org.jspecify.annotations.Nullable;

/**
 * A request line's target split the way Go's {@code url.ParseRequestURI} splits it: the
 * percent-decoded path (a byte string, one char per byte) and the raw query. Targets Go refuses
 * (control bytes, a relative reference, a bad path escape) make Go's server answer {@code 400 Bad
 * Request} and close the connection before any handler runs; {@link #parse} returns null for them.
 *
 * <p>Absolute-form targets ({@code http://host/path}) are accepted and routed by their path, as Go
 * does. The fragment is not split off (Go keeps {@code #} in a request path).
 *
 * @param path the decoded path; {@code "*"} for an asterisk-form target; may be empty (an
 *     absolute-form target without a path)
 * @param rawQuery the query as sent, without {@code ?}; empty when absent
 */
record RequestTarget(String path, String rawQuery) {

  /** Parses a request target, or returns null where Go would answer 400. */
  static @Nullable RequestTarget parse(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return null;
      }
    }
    if (uri.equals("*")) {
      return new RequestTarget("*", "");
    }
    String rest = uri;
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    if (!rest.startsWith("/")) {
      int colon = schemeEnd(rest);
      if (colon <= 0) {
        return null;
      }
      rest = rest.substring(colon + 1);
      if (rest.startsWith("//")) {
        int slash = rest.indexOf('/', 2);
        rest = slash < 0 ? "" : rest.substring(slash);
      } else if (!rest.startsWith("/")) {
        rest = "";
      }
    }
    try {
      return new RequestTarget(GoForm.unescape(rest, false), query);
    } catch (GoForm.EscapeException e) {
      return null;
    }
  }

  private static int schemeEnd(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        continue;
      }
      if (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
        continue;
      }
      return c == ':' && i > 0 ? i : -1;
    }
    return -1;
  }
}
