package io.roster.server.http;

/**
 * Go's lexical path rules as etcd's HTTP layer applies them: {@code path.Clean}, {@code
 * http.ServeMux}'s {@code cleanPath} (which keeps a trailing slash) and {@code url.URL}'s path
 * escaping for the {@code Location} of a redirect.
 *
 * <p>All strings are byte strings (one char per byte, the percent-decoded path as Go holds it), so
 * a redirect re-escapes exactly the bytes the client sent, even when they are not UTF-8.
 */
final class PathCleaner {
  private PathCleaner() {}

  /** Go {@code path.Clean}: the shortest equivalent path; "." for empty, "/" for the root. */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.charAt(0) == '/';
    int n = path.length();
    StringBuilder out = new StringBuilder(n);
    int r = 0;
    int dotdot = 0;
    if (rooted) {
      out.append('/');
      r = 1;
      dotdot = 1;
    }
    while (r < n) {
      char c = path.charAt(r);
      if (c == '/') {
        r++;
      } else if (c == '.' && (r + 1 == n || path.charAt(r + 1) == '/')) {
        r++;
      } else if (c == '.'
          && path.charAt(r + 1) == '.'
          && (r + 2 == n || path.charAt(r + 2) == '/')) {
        r += 2;
        if (out.length() > dotdot) {
          int w = out.length() - 1;
          while (w > dotdot && out.charAt(w) != '/') {
            w--;
          }
          out.setLength(w);
        } else if (!rooted) {
          if (out.length() > 0) {
            out.append('/');
          }
          out.append("..");
          dotdot = out.length();
        }
      } else {
        if ((rooted && out.length() != 1) || (!rooted && out.length() != 0)) {
          out.append('/');
        }
        while (r < n && path.charAt(r) != '/') {
          out.append(path.charAt(r));
          r++;
        }
      }
    }
    return out.length() == 0 ? "." : out.toString();
  }

  /** Go {@code http.cleanPath}: rooted, cleaned, trailing slash kept. */
  static String cleanPath(String p) {
    if (p.isEmpty()) {
      return "/";
    }
    String rooted = p.charAt(0) == '/' ? p : "/" + p;
    String np = clean(rooted);
    if (rooted.charAt(rooted.length() - 1) == '/' && !np.equals("/")) {
      np = np + "/";
    }
    return np;
  }

  /**
   * The store key for the part of a clean request path after {@code /v2/keys} (etcd {@code
   * path.Join("/1", rest)} minus the namespace): "/" for the root, no trailing slash.
   */
  static String keyOf(String rest) {
    return clean("/" + rest);
  }

  /** Go's {@code url.URL.EscapedPath} for a path set without a raw form. */
  static String escapePath(String bytes) {
    if (bytes.equals("*")) {
      return "*";
    }
    StringBuilder out = null;
    int n = bytes.length();
    for (int i = 0; i < n; i++) {
      char c = bytes.charAt(i);
      if (shouldEscape(c)) {
        if (out == null) {
          out = new StringBuilder(n + 16).append(bytes, 0, i);
        }
        out.append('%').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? bytes : out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static boolean shouldEscape(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return false;
    }
    return switch (c) {
      case '-', '_', '.', '~', '$', '&', '+', ',', '/', ':', ';', '=', '@' -> false;
      default -> true;
    };
  }
}
