package io.roster.store;

import java.util.Arrays;

/**
 * A minimal streaming JSON writer whose bytes equal Go's {@code encoding/json} output, the encoder
 * etcd 3.4.23 (Go 1.19) uses for every v2 body.
 *
 * <p><b>Why not Jackson.</b> {@code jackson-core}'s {@code JsonGenerator} can come close with a
 * custom {@code CharacterEscapes}, lower-case hex and {@code COMBINE_UNICODE_SURROGATES_IN_UTF8},
 * but a custom escape table sends every non-ASCII character down its slow path anyway, and it
 * rejects a lone surrogate with an exception. Go instead renders every invalid sequence as <code>
 * &#92;ufffd</code>: rendering must be a total function, because it runs inside apply where an
 * exception would stop the state machine. Three fixed shapes (node, event, error) need about a
 * hundred lines of writer, so the store writes its bytes itself and depends on no JSON library.
 *
 * <p><b>Go's string escaping</b> ({@code encodeState.string} with {@code escapeHTML}): {@code "}
 * and {@code \} are backslash-escaped; {@code \n \r \t} get their short forms; other control
 * characters below 0x20 and {@code < > &} become <code>&#92;u00XX</code> with lower-case hex (Go
 * 1.19 has no {@code \b} or {@code \f}); U+2028 and U+2029 are escaped; DEL and all other
 * characters are written as raw UTF-8. Invalid UTF-8 becomes <code>&#92;ufffd</code>. The server
 * decodes request bytes into Java strings, turning invalid UTF-8 into U+FFFD, so this writer
 * escapes U+FFFD (and lone surrogates) as <code>&#92;ufffd</code>: binary values then read back
 * exactly as on etcd (E25). The one divergence: a client that sends a genuine U+FFFD gets the
 * escape back where etcd writes the raw character; both decode to the same string.
 *
 * <p>Not thread-safe; one writer per rendering.
 */
final class JsonWriter {
  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final boolean[] PLAIN_ASCII = new boolean[128];

  static {
    for (int c = 0x20; c < 0x80; c++) {
      PLAIN_ASCII[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
    }
  }

  private byte[] buf;
  private int len;
  private boolean[] needsComma = new boolean[16];
  private int depth;
  private boolean afterName;

  JsonWriter() {
    this(256);
  }

  JsonWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  JsonWriter beginObject() {
    beforeValue();
    put((byte) '{');
    push();
    return this;
  }

  JsonWriter endObject() {
    depth--;
    put((byte) '}');
    return this;
  }

  JsonWriter beginArray() {
    beforeValue();
    put((byte) '[');
    push();
    return this;
  }

  JsonWriter endArray() {
    depth--;
    put((byte) ']');
    return this;
  }

  /** A field name; {@code name} must be plain ASCII needing no escapes (all etcd names are). */
  JsonWriter name(String name) {
    if (needsComma[depth]) {
      put((byte) ',');
    }
    needsComma[depth] = true;
    ensure(name.length() + 3);
    buf[len++] = '"';
    for (int i = 0; i < name.length(); i++) {
      buf[len++] = (byte) name.charAt(i);
    }
    buf[len++] = '"';
    buf[len++] = ':';
    afterName = true;
    return this;
  }

  JsonWriter value(long v) {
    beforeValue();
    String s = Long.toString(v);
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  /** An unsigned 64-bit number, as Go prints a {@code uint64}. */
  JsonWriter unsignedValue(long v) {
    return v >= 0 ? value(v) : raw(Long.toUnsignedString(v));
  }

  JsonWriter value(boolean v) {
    beforeValue();
    return appendAscii(v ? "true" : "false");
  }

  JsonWriter value(String s) {
    beforeValue();
    put((byte) '"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      ensure(6);
      char c = s.charAt(i);
      if (c < 0x80) {
        if (PLAIN_ASCII[c]) {
          buf[len++] = (byte) c;
        } else {
          escapeAscii(c);
        }
      } else if (c < 0x800) {
        buf[len++] = (byte) (0xc0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          buf[len++] = (byte) (0xf0 | (cp >> 18));
          buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
          buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
          buf[len++] = (byte) (0x80 | (cp & 0x3f));
        } else {
          unicodeEscape(0xfffd);
        }
      } else if (c == 0x2028 || c == 0x2029 || c == 0xfffd) {
        unicodeEscape(c);
      } else {
        buf[len++] = (byte) (0xe0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[len++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    put((byte) '"');
    return this;
  }

  /** Appends the final newline etcd puts after every body. */
  JsonWriter newline() {
    put((byte) '\n');
    return this;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  private JsonWriter raw(String ascii) {
    beforeValue();
    return appendAscii(ascii);
  }

  private JsonWriter appendAscii(String ascii) {
    ensure(ascii.length());
    for (int i = 0; i < ascii.length(); i++) {
      buf[len++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  private void escapeAscii(char c) {
    buf[len++] = '\\';
    switch (c) {
      case '"' -> buf[len++] = '"';
      case '\\' -> buf[len++] = '\\';
      case '\n' -> buf[len++] = 'n';
      case '\r' -> buf[len++] = 'r';
      case '\t' -> buf[len++] = 't';
      default -> {
        buf[len++] = 'u';
        buf[len++] = '0';
        buf[len++] = '0';
        buf[len++] = HEX[c >> 4];
        buf[len++] = HEX[c & 0xf];
      }
    }
  }

  private void unicodeEscape(int c) {
    buf[len++] = '\\';
    buf[len++] = 'u';
    buf[len++] = HEX[(c >> 12) & 0xf];
    buf[len++] = HEX[(c >> 8) & 0xf];
    buf[len++] = HEX[(c >> 4) & 0xf];
    buf[len++] = HEX[c & 0xf];
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (needsComma[depth]) {
      put((byte) ',');
    }
    needsComma[depth] = true;
  }

  private void push() {
    depth++;
    if (depth == needsComma.length) {
      needsComma = Arrays.copyOf(needsComma, depth * 2);
    }
    needsComma[depth] = false;
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      long wanted = Math.max((long) buf.length * 2, (long) len + extra);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new OutOfMemoryError("JSON body over 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }
}
