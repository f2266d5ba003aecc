package io.roster.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import io.roster.api.GoTimeFormat;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * {@code -o json}: what etcdctl prints with Go's {@code json.Marshal} of its client's {@code
 * Response}, byte for byte. That means Go's field order and omissions ({@code action}, {@code
 * node}, {@code prevNode}; in a node {@code key}, {@code dir} only when true, {@code value} always,
 * {@code nodes} as {@code null} when empty, the indexes, {@code expiration} and {@code ttl} only
 * when set), times in RFC 3339 with nanoseconds, and Go's string escaping: {@code <}, {@code >},
 * {@code &}, U+2028 and U+2029 as {@code \\u} escapes, control characters as {@code \\n}, {@code
 * \\r}, {@code \\t} or lower-case {@code \\u00xx}.
 */
public final class JsonPrinter implements Printer {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final GoEscapes ESCAPES = new GoEscapes();

  @Override
  public void print(KeyResponse r, PrintWriter out, PrintWriter err) {
    out.print(toJson(r) + "\n");
  }

  /** The JSON text of {@code r}, without a trailing newline. */
  public static String toJson(KeyResponse r) {
    StringWriter sw = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(sw)) {
      g.setCharacterEscapes(ESCAPES);
      g.writeStartObject();
      g.writeStringField("action", r.action().wire());
      g.writeFieldName("node");
      node(g, r.node());
      g.writeFieldName("prevNode");
      Node prev = r.prevNode();
      if (prev == null) {
        g.writeNull();
      } else {
        node(g, prev);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  private static void node(JsonGenerator g, Node n) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", n.key());
    if (n.dir()) {
      g.writeBooleanField("dir", true);
    }
    g.writeStringField("value", n.value() == null ? "" : n.value());
    g.writeFieldName("nodes");
    if (n.nodes().isEmpty()) {
      g.writeNull();
    } else {
      g.writeStartArray();
      for (Node c : n.nodes()) {
        node(g, c);
      }
      g.writeEndArray();
    }
    g.writeNumberField("createdIndex", n.createdIndex());
    g.writeNumberField("modifiedIndex", n.modifiedIndex());
    Instant exp = n.expiration();
    if (exp != null) {
      g.writeStringField(
          "expiration",
          GoTimeFormat.rfc3339Nano(exp.getEpochSecond() * 1_000_000_000L + exp.getNano()));
    }
    if (n.ttl() != 0) {
      g.writeNumberField("ttl", n.ttl());
    }
    g.writeEndObject();
  }

  /** Go's {@code encoding/json} string escaping (with its default HTML escaping). */
  private static final class GoEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] table = standardAsciiEscapesForJSON();

    GoEscapes() {
      for (int c = 0; c < 0x20; c++) {
        table[c] = ESCAPE_CUSTOM;
      }
      table['<'] = ESCAPE_CUSTOM;
      table['>'] = ESCAPE_CUSTOM;
      table['&'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public @Nullable SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case '\n' -> new SerializedString("\\n");
        case '\r' -> new SerializedString("\\r");
        case '\t' -> new SerializedString("\\t");
        default -> {
          if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029) {
            yield new SerializedString(String.format("\\u%04x", ch));
          }
          yield null;
        }
      };
    }
  }
}
