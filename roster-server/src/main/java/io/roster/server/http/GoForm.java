package io.roster.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Go's {@code Request.ParseForm} for etcd's keys handler, reproduced closely enough that clients
 * see the same values and the same error texts.
 *
 * <p><b>Sources and precedence.</b> For PUT and POST with media type {@code
 * application/x-www-form-urlencoded} the body is parsed first, then the query string; values are
 * appended in that order, so for each name the body's first value wins over the query's (etcd reads
 * only the first value). Other methods and other media types never read the body.
 *
 * <p><b>Parsing</b> ({@code url.ParseQuery}). Pairs are split on {@code &}; a pair containing
 * {@code ;} is an error ({@code invalid semicolon separator in query}, which Go assigns
 * unconditionally, so it overrides an earlier escape error); empty pairs are skipped; name and
 * value are split on the first {@code =} and unescaped with {@code +} as space; a bad escape is an
 * error ({@code invalid URL escape "%zz"}, the first three bytes from the {@code %}, Go-quoted) and
 * the pair is dropped. Parsing continues after an error, but the request is rejected with the first
 * error (the body's before the query's) as etcd's 210 cause.
 *
 * <p><b>Media type</b> ({@code mime.ParseMediaType}). A malformed {@code Content-Type} is itself a
 * form error with Go's text ({@code mime: no media type}, {@code mime: expected slash after first
 * token}, {@code mime: invalid media parameter}, …). A missing header means {@code
 * application/octet-stream}.
 *
 * <p>Strings are handled as byte strings (one char per byte) until a name or value is complete;
 * then they are decoded from UTF-8 Go-style ({@link GoUtf8}).
 */
final class GoForm {
  /** The media type whose body Go parses as a form. */
  static final String FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";

  private final Map<String, List<String>> values;
  private final @Nullable String error;

  private GoForm(Map<String, List<String>> values, @Nullable String error) {
    this.values = values;
    this.error = error;
  }

  /**
   * Parses a request's form.
   *
   * @param rawQuery the raw query string (byte string, without the {@code ?})
   * @param body the raw body when it is a form to parse (PUT/POST with the form media type), else
   *     null
   * @param mediaTypeError the error of parsing the {@code Content-Type} (PUT/POST only), else null
   */
  static GoForm parse(String rawQuery, @Nullable String body, @Nullable String mediaTypeError) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    String error = mediaTypeError;
    if (body != null) {
      String e = parseQuery(values, body);
      if (error == null) {
        error = e;
      }
    }
    String e = parseQuery(values, rawQuery);
    if (error == null) {
      error = e;
    }
    return new GoForm(values, error);
  }

  /** The first parse error in Go's words, or null. */
  @Nullable String error() {
    return error;
  }

  /** Whether the name appears at all (Go {@code _, ok := r.Form[name]}). */
  boolean has(String name) {
    return values.containsKey(name);
  }

  /** The first value, or {@code ""} when absent (Go {@code r.FormValue}). */
  String first(String name) {
    List<String> v = values.get(name);
    return v == null ? "" : v.get(0);
  }

  /** Go {@code url.ParseQuery} into {@code into}; returns the error text or null. */
  static @Nullable String parseQuery(Map<String, List<String>> into, String query) {
    String err = null;
    int pos = 0;
    int n = query.length();
    while (pos < n) {
      int amp = query.indexOf('&', pos);
      int end = amp < 0 ? n : amp;
      String pair = query.substring(pos, end);
      pos = amp < 0 ? n : amp + 1;
      if (pair.indexOf(';') >= 0) {
        err = "invalid semicolon separator in query";
        continue;
      }
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawKey = eq < 0 ? pair : pair.substring(0, eq);
      String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        String key = GoUtf8.decode(unescape(rawKey, true));
        String value = GoUtf8.decode(unescape(rawValue, true));
        into.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
      } catch (EscapeException e) {
        if (err == null) {
          err = e.getMessage();
        }
      }
    }
    return err;
  }

  /**
   * Go {@code url.unescape}: decodes {@code %XX}; with {@code plusIsSpace} (query component mode)
   * also {@code +}. Input and output are byte strings.
   *
   * @throws EscapeException with Go's text, e.g. {@code invalid URL escape "%zz"}
   */
  static String unescape(String s, boolean plusIsSpace) throws EscapeException {
    int pct = s.indexOf('%');
    if (pct < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= n || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
          String bad = s.substring(i, Math.min(n, i + 3));
          throw new EscapeException("invalid URL escape " + GoStrconv.quote(bad));
        }
        out.append((char) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2))));
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.append(' ');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** The outcome of Go's {@code mime.ParseMediaType}: the lower-cased type (maybe ""), an error. */
  record MediaType(String type, @Nullable String error) {}

  /** Go {@code mime.ParseMediaType}, as far as a form parse can observe it. */
  static MediaType parseMediaType(@Nullable String header) {
    String v = header == null || header.isEmpty() ? "application/octet-stream" : header;
    int semi = v.indexOf(';');
    String base = semi < 0 ? v : v.substring(0, semi);
    String type = base.toLowerCase(Locale.ROOT).strip();
    String err = checkMediaType(type);
    if (err != null) {
      return new MediaType("", err);
    }
    String rest = v.substring(base.length());
    List<String> seen = new ArrayList<>();
    while (!rest.isEmpty()) {
      rest = rest.stripLeading();
      if (rest.isEmpty()) {
        break;
      }
      String[] param = consumeParam(rest);
      if (param == null) {
        if (rest.strip().equals(";")) {
          break;
        }
        return new MediaType(type, "mime: invalid media parameter");
      }
      if (seen.contains(param[0])) {
        return new MediaType("", "mime: duplicate parameter name");
      }
      seen.add(param[0]);
      rest = param[1];
    }
    return new MediaType(type, null);
  }

  private static @Nullable String checkMediaType(String s) {
    int t = tokenEnd(s, 0);
    if (t == 0) {
      return "mime: no media type";
    }
    if (t == s.length()) {
      return null;
    }
    if (s.charAt(t) != '/') {
      return "mime: expected slash after first token";
    }
    int t2 = tokenEnd(s, t + 1);
    if (t2 == t + 1) {
      return "mime: expected token after slash";
    }
    return t2 == s.length() ? null : "mime: unexpected content after media subtype";
  }

  /** Returns {name, rest} or null on a malformed parameter. */
  private static String @Nullable [] consumeParam(String v) {
    String rest = v.stripLeading();
    if (!rest.startsWith(";")) {
      return null;
    }
    rest = rest.substring(1).stripLeading();
    int t = tokenEnd(rest, 0);
    if (t == 0) {
      return null;
    }
    String name = rest.substring(0, t).toLowerCase(Locale.ROOT);
    rest = rest.substring(t).stripLeading();
    if (!rest.startsWith("=")) {
      return null;
    }
    rest = rest.substring(1).stripLeading();
    if (rest.startsWith("\"")) {
      int i = 1;
      while (i < rest.length() && rest.charAt(i) != '"') {
        i += rest.charAt(i) == '\\' ? 2 : 1;
      }
      if (i >= rest.length()) {
        return null;
      }
      return new String[] {name, rest.substring(i + 1)};
    }
    int vt = tokenEnd(rest, 0);
    if (vt == 0) {
      return null;
    }
    return new String[] {name, rest.substring(vt)};
  }

  private static int tokenEnd(String s, int from) {
    int i = from;
    while (i < s.length() && isTokenChar(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isTokenChar(char c) {
    return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
  }

  /** A malformed percent escape; the message is Go's error text. */
  static final class EscapeException extends Exception {
    private static final long serialVersionUID = 1L;

    EscapeException(String message) {
      super(message, null, false, false);
    }
  }
}
