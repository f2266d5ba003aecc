package io.roster.store;

/**
 * Clean absolute key paths: {@code "/"} for the root, otherwise {@code "/a/b"} with no empty,
 * {@code "."} or {@code ".."} segment and no trailing slash. Cleaning (Go {@code path.Clean}) is
 * the caller's job; the store only checks, because a dirty key would corrupt the tree.
 */
final class Keys {
  static final String ROOT = "/";

  private Keys() {}

  /**
   * Throws unless {@code key} is clean.
   *
   * @throws IllegalArgumentException if {@code key} is not a clean absolute path
   */
  static String check(String key) {
    if (!isClean(key)) {
      throw new IllegalArgumentException("not a clean absolute key: \"" + key + "\"");
    }
    return key;
  }

  static boolean isClean(String key) {
    if (key.isEmpty() || key.charAt(0) != '/') {
      return false;
    }
    if (key.length() == 1) {
      return true;
    }
    int start = 1;
    while (true) {
      int slash = key.indexOf('/', start);
      int end = slash < 0 ? key.length() : slash;
      if (!isName(key, start, end)) {
        return false;
      }
      if (slash < 0) {
        return true;
      }
      start = slash + 1;
    }
  }

  /** Whether {@code s[start, end)} is a valid node name: non-empty, not "." or "..". */
  static boolean isName(String s, int start, int end) {
    int n = end - start;
    if (n <= 0) {
      return false;
    }
    if (n == 1 && s.charAt(start) == '.') {
      return false;
    }
    return !(n == 2 && s.charAt(start) == '.' && s.charAt(start + 1) == '.');
  }

  /** The key of a child: {@code child("/", "a") = "/a"}, {@code child("/a", "b") = "/a/b"}. */
  static String child(String parent, String name) {
    return parent.length() == 1 ? "/" + name : parent + "/" + name;
  }

  /** The parent's key; {@code "/"} for a top-level key. Not defined for the root. */
  static String parent(String key) {
    int slash = key.lastIndexOf('/');
    return slash == 0 ? ROOT : key.substring(0, slash);
  }

  /** The last segment of a non-root key. */
  static String name(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  /**
   * Whether the part of {@code key} below its ancestor path {@code ancestor} has a hidden segment
   * (one starting with {@code _}); etcd {@code isHidden} in {@code watcher_hub.go}.
   */
  static boolean hiddenBelow(String ancestor, String key) {
    if (ancestor.length() > key.length()) {
      return false;
    }
    int from = ancestor.length() == 1 ? 0 : ancestor.length();
    return key.indexOf("/_", from) >= 0;
  }

  /**
   * Orders strings by Unicode code point, which is the byte order of their UTF-8 encodings: Go's
   * string order, used by etcd's {@code sorted=true}. {@link String#compareTo} compares UTF-16
   * units and differs for characters above U+FFFF versus U+E000..U+FFFF.
   */
  static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return Integer.compare(codePointRank(x), codePointRank(y));
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  private static int codePointRank(char c) {
    if (c < Character.MIN_SURROGATE) {
      return c;
    }
    return c > Character.MAX_SURROGATE ? c - 0x800 : c + 0x2000;
  }
}
