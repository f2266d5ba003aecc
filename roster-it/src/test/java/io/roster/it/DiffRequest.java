package io.roster.it;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One request of a differential test, sent identically to both servers. {@code target} and {@code
 * form} may hold index templates {@code {i:N}}, expanded per server to {@code base + N} where base
 * is that server's {@code X-Etcd-Index} when the sequence started; so "the index of the 3rd write
 * of this script" is {@code {i:3}} on both servers. {@code {k:N}} is the same number zero-padded to
 * 20 digits, the name of an in-order key.
 */
record DiffRequest(
    String method,
    String target,
    @Nullable String form,
    @Nullable String contentType,
    byte @Nullable [] rawBody,
    boolean compareShapeOnly) {

  private static final Pattern TEMPLATE = Pattern.compile("\\{([ik]):(-?\\d+)}");

  static DiffRequest of(String method, String target) {
    return new DiffRequest(method, target, null, null, null, false);
  }

  static DiffRequest get(String keyAndQuery) {
    return of("GET", "/v2/keys" + keyAndQuery);
  }

  static DiffRequest head(String keyAndQuery) {
    return of("HEAD", "/v2/keys" + keyAndQuery);
  }

  static DiffRequest delete(String keyAndQuery) {
    return of("DELETE", "/v2/keys" + keyAndQuery);
  }

  static DiffRequest put(String keyAndQuery, String form) {
    return new DiffRequest(
        "PUT", "/v2/keys" + keyAndQuery, form, "application/x-www-form-urlencoded", null, false);
  }

  static DiffRequest post(String keyAndQuery, String form) {
    return new DiffRequest(
        "POST", "/v2/keys" + keyAndQuery, form, "application/x-www-form-urlencoded", null, false);
  }

  /** Same request with another body and content type (e.g. JSON, which etcd does not parse). */
  DiffRequest withBody(@Nullable String type, String body) {
    return new DiffRequest(method, target, body, type, null, compareShapeOnly);
  }

  DiffRequest withRawBody(@Nullable String type, byte[] body) {
    return new DiffRequest(method, target, null, type, body, compareShapeOnly);
  }

  /** Compare only the shape (status, headers, JSON field names), not the values. */
  DiffRequest shapeOnly() {
    return new DiffRequest(method, target, form, contentType, rawBody, true);
  }

  boolean isHead() {
    return method.equals("HEAD");
  }

  boolean sorted() {
    return target.contains("sorted=true");
  }

  boolean isKeys() {
    return target.startsWith("/v2/keys");
  }

  /** Query plus form text, for deciding how to read a compare-failed cause. */
  String params() {
    int q = target.indexOf('?');
    return (q >= 0 ? target.substring(q + 1) : "") + "&" + (form == null ? "" : form);
  }

  static String expand(String s, long base) {
    Matcher m = TEMPLATE.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      long v = base + Long.parseLong(m.group(2));
      m.appendReplacement(
          sb, m.group(1).equals("k") ? String.format("%020d", v) : Long.toString(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Wire bytes for a server whose base index is {@code base}, listening on {@code port}. */
  byte[] bytes(long base, int port) {
    byte[] body =
        rawBody != null
            ? rawBody
            : form == null ? null : expand(form, base).getBytes(StandardCharsets.UTF_8);
    return RawHttp.request(method, expand(target, base), port, contentType, body);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(method).append(' ').append(target);
    if (form != null) {
      String f =
          form.length() > 300 ? form.substring(0, 300) + "…(" + form.length() + " chars)" : form;
      sb.append("  body[").append(contentType).append("]: ").append(f);
    }
    if (rawBody != null) {
      sb.append("  body[")
          .append(contentType)
          .append("]: ")
          .append(rawBody.length)
          .append(" bytes");
    }
    return sb.toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DiffRequest d && d.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
