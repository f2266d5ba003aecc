package io.roster.server.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A small append-only JSON writer for the non-keys endpoints (members, stats, health), producing
 * the bytes Go's {@code encoding/json} would: compact, fields in the order written, strings with
 * Go's escaping ({@code <}, {@code >}, {@code &}, U+2028 and U+2029 as six-character unicode
 * escapes). U+FFFD is escaped too: request bytes reach these bodies decoded by {@link GoUtf8},
 * where it stands for invalid UTF-8, which Go writes as that escape (the store's {@code JsonWriter}
 * makes the same choice). These bodies are a handful of fields, so they are written straight to a
 * builder rather than through a tree or a general serializer. Not thread-safe; one per response.
 */
final class JsonText {
  private final StringBuilder out = new StringBuilder(128);
  private boolean needComma;

  JsonText beginObject() {
    comma();
    out.append('{');
    needComma = false;
    return this;
  }

  JsonText endObject() {
    out.append('}');
    needComma = true;
    return this;
  }

  JsonText beginArray() {
    comma();
    out.append('[');
    needComma = false;
    return this;
  }

  JsonText endArray() {
    out.append(']');
    needComma = true;
    return this;
  }

  /** Writes a member name; the value follows. */
  JsonText name(String name) {
    comma();
    quote(name);
    out.append(':');
    needComma = false;
    return this;
  }

  JsonText value(String s) {
    comma();
    quote(s);
    needComma = true;
    return this;
  }

  JsonText value(long v) {
    comma();
    out.append(v);
    needComma = true;
    return this;
  }

  JsonText field(String name, String value) {
    return name(name).value(value);
  }

  JsonText field(String name, long value) {
    return name(name).value(value);
  }

  /** A string array; empty lists are written as {@code []}, never null. */
  JsonText field(String name, List<String> values) {
    name(name).beginArray();
    for (String v : values) {
      value(v);
    }
    return endArray();
  }

  /** The document so far, UTF-8, with {@code json.Encoder}'s trailing newline if asked. */
  byte[] toBytes(boolean newline) {
    if (newline) {
      out.append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void comma() {
    if (needComma) {
      out.append(',');
    }
  }

  private void quote(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029', '\ufffd' ->
            out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
