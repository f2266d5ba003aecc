package io.roster.server.http;

/**
 * Turns raw bytes into a Java string the way Go's {@code encoding/json} shows them: every byte that
 * does not start a valid UTF-8 sequence becomes one U+FFFD (Go's {@code utf8.DecodeRune} consumes
 * exactly one byte on error), so {@code %e4%b8} reads back as two replacement characters, as etcd
 * reports it. Java's own decoder would merge a truncated sequence into a single U+FFFD.
 *
 * <p>Bytes arrive as a "byte string": a {@link String} whose chars are all below 256, one per byte
 * (Netty reads the request line as ISO-8859-1).
 */
final class GoUtf8 {
  private GoUtf8() {}

  /** Decodes a byte string (one char per byte) as Go would print it. */
  static String decode(String bytes) {
    int n = bytes.length();
    int i = 0;
    while (i < n && bytes.charAt(i) < 0x80) {
      i++;
    }
    if (i == n) {
      return bytes;
    }
    StringBuilder out = new StringBuilder(n);
    out.append(bytes, 0, i);
    while (i < n) {
      int c = bytes.charAt(i) & 0xff;
      if (c < 0x80) {
        out.append((char) c);
        i++;
        continue;
      }
      int width = sequenceWidth(bytes, i, n);
      if (width == 0) {
        out.append('\ufffd');
        i++;
        continue;
      }
      int cp =
          switch (width) {
            case 2 -> ((c & 0x1f) << 6) | cont(bytes, i + 1);
            case 3 -> ((c & 0x0f) << 12) | (cont(bytes, i + 1) << 6) | cont(bytes, i + 2);
            default ->
                ((c & 0x07) << 18)
                    | (cont(bytes, i + 1) << 12)
                    | (cont(bytes, i + 2) << 6)
                    | cont(bytes, i + 3);
          };
      out.appendCodePoint(cp);
      i += width;
    }
    return out.toString();
  }

  /** Decodes raw bytes as Go would print them. */
  static String decode(byte[] bytes) {
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = (char) (bytes[i] & 0xff);
    }
    return decode(new String(chars));
  }

  /** The width of the valid UTF-8 sequence starting at {@code i}, or 0 if it is invalid. */
  static int sequenceWidth(String s, int i, int n) {
    int c = s.charAt(i) & 0xff;
    if (c < 0x80) {
      return 1;
    }
    if (c < 0xc2 || c > 0xf4) {
      return 0;
    }
    int width = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (i + width > n) {
      return 0;
    }
    int lo = 0x80;
    int hi = 0xbf;
    if (c == 0xe0) {
      lo = 0xa0;
    } else if (c == 0xed) {
      hi = 0x9f;
    } else if (c == 0xf0) {
      lo = 0x90;
    } else if (c == 0xf4) {
      hi = 0x8f;
    }
    int b1 = s.charAt(i + 1) & 0xff;
    if (b1 < lo || b1 > hi) {
      return 0;
    }
    for (int k = 2; k < width; k++) {
      int b = s.charAt(i + k) & 0xff;
      if (b < 0x80 || b > 0xbf) {
        return 0;
      }
    }
    return width;
  }

  private static int cont(String s, int i) {
    return s.charAt(i) & 0x3f;
  }
}
