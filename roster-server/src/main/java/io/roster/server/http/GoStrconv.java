package io.roster.server.http;

import org.jspecify.annotations.Nullable;

/**
 * The few pieces of Go's {@code strconv} whose exact behaviour clients can observe through etcd:
 * {@code ParseBool}'s literal set, {@code ParseUint} in base 10, and {@code Quote} (used in the
 * text of URL-escape errors).
 */
final class GoStrconv {
  private GoStrconv() {}

  /** Go {@code strconv.ParseBool}: null when {@code s} is not one of its twelve literals. */
  static @Nullable Boolean parseBool(String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
      case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
      default -> null;
    };
  }

  /**
   * Go {@code strconv.ParseUint(s, 10, 64)}: null unless {@code s} is 1-20 ASCII digits that fit in
   * 64 unsigned bits. The result carries the unsigned bits (values above {@code Long.MAX_VALUE}
   * come back negative).
   */
  static @Nullable Long parseUint(String s) {
    int n = s.length();
    if (n == 0 || n > 20) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseUnsignedLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Go {@code strconv.Quote} of a byte string (one char per byte): double quotes, Go escapes for
   * control characters, {@code \xNN} for bytes that are not valid UTF-8.
   */
  static String quote(String bytes) {
    StringBuilder out = new StringBuilder(bytes.length() + 2).append('"');
    int n = bytes.length();
    int i = 0;
    while (i < n) {
      int c = bytes.charAt(i) & 0xff;
      if (c < 0x80) {
        appendAscii(out, c);
        i++;
        continue;
      }
      int width = GoUtf8.sequenceWidth(bytes, i, n);
      if (width == 0) {
        out.append("\\x").append(hex2(c));
        i++;
        continue;
      }
      int cp = GoUtf8.decode(bytes.substring(i, i + width)).codePointAt(0);
      if (printable(cp)) {
        out.appendCodePoint(cp);
      } else if (cp < 0x10000) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.append(String.format("\\U%08x", cp));
      }
      i += width;
    }
    return out.append('"').toString();
  }

  private static void appendAscii(StringBuilder out, int c) {
    switch (c) {
      case '"' -> out.append("\\\"");
      case '\\' -> out.append("\\\\");
      case 0x07 -> out.append("\\a");
      case '\b' -> out.append("\\b");
      case '\f' -> out.append("\\f");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      case 0x0b -> out.append("\\v");
      default -> {
        if (c < 0x20 || c == 0x7f) {
          out.append("\\x").append(hex2(c));
        } else {
          out.append((char) c);
        }
      }
    }
  }

  private static boolean printable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.UNASSIGNED,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.SPACE_SEPARATOR,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          false;
      default -> true;
    };
  }

  private static String hex2(int b) {
    return Character.forDigit(b >> 4, 16) + "" + Character.forDigit(b & 0xf, 16);
  }
}
