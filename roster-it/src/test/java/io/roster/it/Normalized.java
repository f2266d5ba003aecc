package io.roster.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A response with everything that legitimately differs between two servers taken out, so that two
 * servers' answers to the same request can be compared with {@link #diff}.
 *
 * <ul>
 *   <li>Absolute etcd indexes become {@code "#<offset>"} from the server's base index: JSON {@code
 *       modifiedIndex}, {@code createdIndex}, {@code index}; in-order key names ({@code
 *       /q/00000000000000000017}); compare-failed causes {@code [1 != 48]} (the index part only);
 *       history-cleared causes {@code [158/8]}; and the {@code X-Etcd-Index} header. {@code 0}
 *       stays 0.
 *   <li>{@code expiration} becomes {@code <expiration>} if it has Go's RFC3339Nano form.
 *   <li>{@code ttl} is kept and compared within ±1.
 *   <li>Headers kept: Content-Type, Location, Allow, the three CORS headers and {@code Connection:
 *       close} by value; X-Raft-Index, X-Raft-Term, X-Etcd-Cluster-Id by presence.
 *   <li>Outside {@code /v2/keys}: member ids and loopback ports are masked.
 * </ul>
 *
 * JSON is compared with field order (the sequence of names at every level); {@code nodes} arrays as
 * sets unless the request asked {@code sorted=true}. The body's trailing newline and its {@code
 * \\u} escapes with their four hex digits (Go escapes {@code <>&}) are compared too.
 */
record Normalized(
    int status,
    Map<String, String> headers,
    @Nullable JsonNode json,
    @Nullable String text,
    boolean trailingNewline,
    List<String> escapes,
    String raw) {

  static final Pattern IN_ORDER = Pattern.compile("(?<=/)(\\d{20})(?!\\d)");
  private static final Pattern CLEARED = Pattern.compile("\\[(\\d+)/(\\d+)]");
  private static final Pattern BRACKET = Pattern.compile("\\[(.*?) != (.*?)]");
  private static final Pattern ESCAPE = Pattern.compile("\\\\u[0-9a-fA-F]{4}");
  private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:\\d+");
  private static final Pattern HEX_ID = Pattern.compile("\\b[0-9a-f]{12,16}\\b");
  private static final Pattern GO_TIME =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d*[1-9])?Z");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  static final String NO_EVENT = "<no event>";

  /** A response that never came (timeout): both servers must agree on that too. */
  static Normalized none(String why) {
    return new Normalized(-1, Map.of(), null, why, false, List.of(), why);
  }

  static Normalized of(RawHttp.Response r, DiffRequest req, long base) {
    if (r.head() == null) {
      String err = r.error() == null ? "?" : r.error();
      String kind = err.contains("Timeout") || err.contains("timed out") ? "timeout" : "closed";
      return new Normalized(
          -1, Map.of(), null, "<no response: " + kind + ">", false, List.of(), r.toString());
    }
    Map<String, String> h = headers(r.head(), req, base);
    Normalized body = body(r.bodyText(), req, base);
    return new Normalized(
        r.status(), h, body.json, body.text, body.trailingNewline, body.escapes, r.toString());
  }

  /** Normalises a body alone (a streamed or long-polled watch event). */
  static Normalized body(String body, DiffRequest req, long base) {
    boolean nl = body.endsWith("\n");
    List<String> escapes = new ArrayList<>();
    Matcher m = ESCAPE.matcher(body);
    while (m.find()) {
      escapes.add(m.group().toLowerCase(Locale.ROOT));
    }
    escapes.sort(Comparator.naturalOrder());
    String trimmed = body.strip();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        JsonNode parsed = EtcdV2Http.JSON.readTree(trimmed);
        return new Normalized(0, Map.of(), normJson(parsed, req, base), null, nl, escapes, body);
      } catch (java.io.IOException e) {
        // not JSON after all: compare as text
      }
    }
    String text = req.isKeys() ? body : PORT.matcher(body).replaceAll("127.0.0.1:<port>");
    return new Normalized(0, Map.of(), null, text, nl, escapes, body);
  }

  private static Map<String, String> headers(RawHttp.Head head, DiffRequest req, long base) {
    Map<String, String> out = new TreeMap<>();
    for (String[] h : head.headers()) {
      String name = h[0].toLowerCase(Locale.ROOT);
      String v = h[1];
      switch (name) {
        case "content-type", "allow" -> out.put(name, v);
        case "location" -> out.put(name, location(v, base));
        case "access-control-allow-origin",
            "access-control-allow-methods",
            "access-control-allow-headers" ->
            out.put(name, v);
        case "x-raft-index", "x-raft-term", "x-etcd-cluster-id" -> out.put(name, "<present>");
        case "x-etcd-index" -> {
          try {
            out.put(name, index(Long.parseLong(v.strip()), base).asText());
          } catch (NumberFormatException e) {
            out.put(name, "<bad:" + v + ">");
          }
        }
        case "connection" -> {
          if (v.toLowerCase(Locale.ROOT).contains("close")) {
            out.put(name, "close");
          }
        }
        default -> {
          // not compared
        }
      }
    }
    return out;
  }

  private static final Pattern INDEX_PARAM = Pattern.compile("((?:prevIndex|waitIndex)=)(\\d+)");

  /** A redirect target: in-order names and index parameters made relative. */
  private static String location(String v, long base) {
    Matcher m = INDEX_PARAM.matcher(inOrder(v, base));
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, m.group(1) + index(Long.parseLong(m.group(2)), base).asText());
    }
    m.appendTail(sb);
    return sb.toString();
  }

  static JsonNode index(long v, long base) {
    return v == 0 ? IntNode.valueOf(0) : TextNode.valueOf("#" + (v - base));
  }

  static String inOrder(String s, long base) {
    Matcher m = IN_ORDER.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, "#" + (Long.parseLong(m.group(1)) - base));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static JsonNode normJson(JsonNode n, DiffRequest req, long base) {
    if (n.isObject()) {
      ObjectNode out = F.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), normField(e.getKey(), e.getValue(), n, req, base));
      }
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = F.arrayNode();
      for (JsonNode c : n) {
        out.add(normJson(c, req, base));
      }
      return out;
    }
    if (n.isTextual() && !req.isKeys()) {
      return TextNode.valueOf(maskCluster(n.asText()));
    }
    return n;
  }

  private static JsonNode normField(
      String name, JsonNode v, JsonNode parent, DiffRequest req, long base) {
    switch (name) {
      case "modifiedIndex", "createdIndex", "index":
        if (v.isIntegralNumber() && req.isKeys()) {
          return index(v.asLong(), base);
        }
        break;
      case "expiration":
        if (v.isTextual()) {
          return TextNode.valueOf(
              GO_TIME.matcher(v.asText()).matches()
                  ? "<expiration>"
                  : "<not RFC3339Nano: " + v.asText() + ">");
        }
        break;
      case "key":
        if (v.isTextual()) {
          return TextNode.valueOf(inOrder(v.asText(), base));
        }
        break;
      case "cause":
        if (v.isTextual()) {
          return TextNode.valueOf(cause(v.asText(), parent.path("errorCode").asInt(), req, base));
        }
        break;
      case "id", "leader":
        if (v.isTextual() && !req.isKeys()) {
          return TextNode.valueOf("<id>");
        }
        break;
      default:
        break;
    }
    return normJson(v, req, base);
  }

  private static String cause(String c, int errorCode, DiffRequest req, long base) {
    String s = inOrder(c, base);
    if (errorCode == 401) {
      Matcher m = CLEARED.matcher(s);
      if (m.find()) {
        return s.substring(0, m.start())
            + "[#"
            + (Long.parseLong(m.group(1)) - base)
            + "/#"
            + (Long.parseLong(m.group(2)) - base)
            + "]"
            + s.substring(m.end());
      }
    }
    if (errorCode == 101) {
      List<int[]> spans = new ArrayList<>();
      Matcher m = BRACKET.matcher(s);
      while (m.find()) {
        spans.add(new int[] {m.start(), m.end()});
      }
      int indexBracket = -1;
      if (spans.size() == 2) {
        indexBracket = 1;
      } else if (spans.size() == 1) {
        Matcher one = BRACKET.matcher(s.substring(spans.get(0)[0], spans.get(0)[1]));
        String prevIndex = param(req.params(), "prevIndex");
        boolean byIndex =
            !hasParam(req.params(), "prevValue")
                || (prevIndex != null
                    && one.matches()
                    && one.group(1).equals(DiffRequest.expand(prevIndex, base)));
        indexBracket = byIndex ? 0 : -1;
      }
      if (indexBracket >= 0) {
        int[] sp = spans.get(indexBracket);
        Matcher b = BRACKET.matcher(s.substring(sp[0], sp[1]));
        if (b.matches()) {
          return s.substring(0, sp[0])
              + "["
              + rel(b.group(1), base)
              + " != "
              + rel(b.group(2), base)
              + "]"
              + s.substring(sp[1]);
        }
      }
    }
    return s;
  }

  private static String rel(String number, long base) {
    try {
      return index(Long.parseLong(number), base).asText();
    } catch (NumberFormatException e) {
      return number;
    }
  }

  private static @Nullable String param(String params, String name) {
    for (String p : params.split("&")) {
      if (p.startsWith(name + "=")) {
        return p.substring(name.length() + 1);
      }
    }
    return null;
  }

  private static boolean hasParam(String params, String name) {
    for (String p : params.split("&")) {
      if (p.startsWith(name + "=") && p.length() > name.length() + 1) {
        return true;
      }
    }
    return false;
  }

  private static String maskCluster(String s) {
    return HEX_ID.matcher(PORT.matcher(s).replaceAll("127.0.0.1:<port>")).replaceAll("<id>");
  }

  /** The index offset in a normalised index value ({@code "#5"} gives 5). */
  static long rel(JsonNode normalisedIndex) {
    String t = normalisedIndex.asText();
    if (!t.startsWith("#")) {
      throw new AssertionError("not a normalised index: " + normalisedIndex);
    }
    return Long.parseLong(t.substring(1));
  }

  JsonNode jsonOrFail() {
    if (json == null) {
      throw new AssertionError("expected a JSON body, got: " + raw);
    }
    return json;
  }

  /** First difference between this (reference) and {@code other}, or null if they agree. */
  @Nullable String diff(Normalized other, DiffRequest req) {
    if (status != other.status) {
      return "status " + status + " vs " + other.status;
    }
    if (!headers.equals(other.headers)) {
      Map<String, String> mine = new TreeMap<>();
      Map<String, String> theirs = new TreeMap<>();
      java.util.Set<String> names = new java.util.TreeSet<>(headers.keySet());
      names.addAll(other.headers.keySet());
      for (String n : names) {
        if (!java.util.Objects.equals(headers.get(n), other.headers.get(n))) {
          mine.put(n, headers.getOrDefault(n, "<absent>"));
          theirs.put(n, other.headers.getOrDefault(n, "<absent>"));
        }
      }
      return "headers " + mine + " vs " + theirs;
    }
    if ((json == null) != (other.json == null)) {
      return "body kind: "
          + (json == null ? "text" : "JSON")
          + " vs "
          + (other.json == null ? "text" : "JSON");
    }
    if (json != null && other.json != null) {
      String d = jsonDiff("$", json, other.json, req);
      if (d != null) {
        return d;
      }
    } else if (text != null && !text.equals(other.text)) {
      return "body text " + quote(text) + " vs " + quote(other.text);
    }
    if (req.compareShapeOnly()) {
      return null;
    }
    if (trailingNewline != other.trailingNewline) {
      return "trailing newline " + trailingNewline + " vs " + other.trailingNewline;
    }
    if (!escapes.equals(other.escapes)) {
      return "\\u escapes in the raw body " + escapes + " vs " + other.escapes;
    }
    return null;
  }

  private static String quote(@Nullable String s) {
    if (s == null) {
      return "null";
    }
    String t = s.length() > 300 ? s.substring(0, 300) + "…" : s;
    return "\"" + t.replace("\n", "\\n") + "\"";
  }

  private static @Nullable String jsonDiff(String path, JsonNode a, JsonNode b, DiffRequest req) {
    if (a.isObject() && b.isObject()) {
      List<String> na = names(a);
      List<String> nb = names(b);
      if (!na.equals(nb)) {
        return path + ": field names/order " + na + " vs " + nb;
      }
      for (String f : na) {
        JsonNode va = a.get(f);
        JsonNode vb = b.get(f);
        String p = path + "." + f;
        if (f.equals("ttl") && va.isNumber() && vb.isNumber()) {
          if (Math.abs(va.asLong() - vb.asLong()) > 1 && !req.compareShapeOnly()) {
            return p + ": " + va + " vs " + vb + " (more than ±1 apart)";
          }
          continue;
        }
        if (f.equals("nodes") && va.isArray() && vb.isArray() && !req.sorted()) {
          String d = jsonDiff(p + "(as set)", byKey(va), byKey(vb), req);
          if (d != null) {
            return d;
          }
          continue;
        }
        String d = jsonDiff(p, va, vb, req);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return path + ": array size " + a.size() + " vs " + b.size() + ": " + a + " vs " + b;
      }
      for (int i = 0; i < a.size(); i++) {
        String d = jsonDiff(path + "[" + i + "]", a.get(i), b.get(i), req);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a.getNodeType() != b.getNodeType()) {
      return path
          + ": type "
          + a.getNodeType()
          + " vs "
          + b.getNodeType()
          + " ("
          + a
          + " vs "
          + b
          + ")";
    }
    if (req.compareShapeOnly()) {
      return null;
    }
    boolean same = a.isNumber() ? a.asText().equals(b.asText()) : a.equals(b);
    return same ? null : path + ": " + a + " vs " + b;
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static ArrayNode byKey(JsonNode arr) {
    List<JsonNode> items = new ArrayList<>();
    arr.forEach(items::add);
    items.sort(
        Comparator.comparing((JsonNode j) -> j.path("key").asText())
            .thenComparing(JsonNode::toString));
    ArrayNode out = F.arrayNode();
    items.forEach(out::add);
    return out;
  }

  /** Multi-line rendering for failure messages. */
  String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("  status ").append(status).append('\n');
    headers.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
    if (json != null) {
      sb.append("  ").append(EtcdV2Http.pretty(json));
    } else {
      sb.append("  ").append(quote(text));
    }
    return sb.toString();
  }
}
