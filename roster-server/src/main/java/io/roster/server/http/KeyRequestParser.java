package io.roster.server.http;

import io.roster.api.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * etcd's {@code parseKeyRequest} ({@code v2http/client.go}): the form is parsed like Go's {@code
 * ParseForm} ({@link GoForm}) and checked in etcd's exact order, the first failure winning:
 *
 * <ol>
 *   <li>form parse error: 210 with Go's error text;
 *   <li>{@code prevIndex}, then {@code waitIndex} not an unsigned integer: 203;
 *   <li>{@code recursive}, {@code sorted}, {@code wait}, {@code dir}, {@code quorum}, {@code
 *       stream} not a Go bool: 209 {@code invalid value for "<name>"};
 *   <li>{@code wait=true} with a method other than GET: 209;
 *   <li>{@code prevValue} present but empty: 201;
 *   <li>{@code noValueOnSuccess} not a bool: 209;
 *   <li>{@code ttl} non-empty and not an unsigned integer: 202;
 *   <li>{@code prevExist}, then {@code refresh}, present and not a bool: 209 with the name
 *       unquoted;
 *   <li>{@code refresh=true} with a non-empty {@code value}: 211; without a ttl: 212.
 * </ol>
 *
 * Presence checks look at every parameter name, whatever its value; value checks read only the
 * first value. Auth (etcd's step 18) arrives with the auth issue.
 *
 * <p><b>Divergence.</b> etcd turns {@code ttl} into {@code now + ttl} nanoseconds, which silently
 * overflows for huge values (the node becomes permanent or expires at once). Here a ttl above
 * {@link #MAX_TTL_SECONDS} (about 126 years, so that any expiry before the year 2150 fits in signed
 * 64-bit nanoseconds) is rejected with 202 {@code invalid value for "ttl"}.
 */
final class KeyRequestParser {
  /** The largest accepted {@code ttl}, in seconds. */
  static final long MAX_TTL_SECONDS = 4_000_000_000L;

  private KeyRequestParser() {}

  /** {@link #parse(String, String, String, String, String, String)} of a body read whole. */
  static KeyParse parse(
      String method,
      String keyPath,
      String rawQuery,
      @Nullable String contentType,
      @Nullable String body) {
    return parse(method, keyPath, rawQuery, contentType, body, null);
  }

  /**
   * Parses and validates.
   *
   * @param method the HTTP method
   * @param keyPath the clean decoded request path after {@code /v2/keys} (byte string)
   * @param rawQuery the raw query, without {@code ?}
   * @param contentType the {@code Content-Type} header, or null
   * @param body the raw body (byte string) when the method is PUT or POST and the media type is the
   *     form type; null otherwise
   * @param bodyError why that body could not be read (Go's text: {@code http: POST too large}, a
   *     chunked framing error), or null; it is the form error, ahead of any query error
   */
  static KeyParse parse(
      String method,
      String keyPath,
      String rawQuery,
      @Nullable String contentType,
      @Nullable String body,
      @Nullable String bodyError) {
    String mediaTypeError = null;
    if (readsBody(method)) {
      mediaTypeError = GoForm.parseMediaType(contentType).error();
      if (mediaTypeError == null) {
        mediaTypeError = bodyError;
      }
    }
    GoForm form = GoForm.parse(rawQuery, body, mediaTypeError);
    String formError = form.error();
    if (formError != null) {
      return invalid(ErrorCode.INVALID_FORM, formError);
    }
    long[] prevIndex = new long[1];
    long[] waitIndex = new long[1];
    if (!uint(form, "prevIndex", prevIndex)) {
      return invalid(ErrorCode.INDEX_NAN, "invalid value for \"prevIndex\"");
    }
    if (!uint(form, "waitIndex", waitIndex)) {
      return invalid(ErrorCode.INDEX_NAN, "invalid value for \"waitIndex\"");
    }
    Boolean recursive = bool(form, "recursive");
    if (recursive == null) {
      return badBool("recursive");
    }
    Boolean sorted = bool(form, "sorted");
    if (sorted == null) {
      return badBool("sorted");
    }
    Boolean wait = bool(form, "wait");
    if (wait == null) {
      return badBool("wait");
    }
    Boolean dir = bool(form, "dir");
    if (dir == null) {
      return badBool("dir");
    }
    Boolean quorum = bool(form, "quorum");
    if (quorum == null) {
      return badBool("quorum");
    }
    Boolean stream = bool(form, "stream");
    if (stream == null) {
      return badBool("stream");
    }
    if (wait && !method.equals("GET")) {
      return invalid(ErrorCode.INVALID_FIELD, "\"wait\" can only be used with GET requests");
    }
    String prevValue = form.first("prevValue");
    if (form.has("prevValue") && prevValue.isEmpty()) {
      return invalid(ErrorCode.PREV_VALUE_REQUIRED, "\"prevValue\" cannot be empty");
    }
    Boolean noValueOnSuccess = bool(form, "noValueOnSuccess");
    if (noValueOnSuccess == null) {
      return badBool("noValueOnSuccess");
    }
    Long ttl = null;
    String ttlText = form.first("ttl");
    if (!ttlText.isEmpty()) {
      ttl = GoStrconv.parseUint(ttlText);
      if (ttl == null || ttl < 0 || ttl > MAX_TTL_SECONDS) {
        return invalid(ErrorCode.TTL_NAN, "invalid value for \"ttl\"");
      }
    }
    Boolean prevExist = null;
    if (form.has("prevExist")) {
      prevExist = GoStrconv.parseBool(form.first("prevExist"));
      if (prevExist == null) {
        return invalid(ErrorCode.INVALID_FIELD, "invalid value for prevExist");
      }
    }
    boolean refresh = false;
    if (form.has("refresh")) {
      Boolean r = GoStrconv.parseBool(form.first("refresh"));
      if (r == null) {
        return invalid(ErrorCode.INVALID_FIELD, "invalid value for refresh");
      }
      refresh = r;
      if (refresh && !form.first("value").isEmpty()) {
        return invalid(ErrorCode.REFRESH_VALUE, "A value was provided on a refresh");
      }
      if (refresh && ttl == null) {
        return invalid(ErrorCode.REFRESH_TTL_REQUIRED, "No TTL value set");
      }
    }
    return new KeyRequest(
        method,
        GoUtf8.decode(PathCleaner.keyOf(keyPath)),
        form.first("value"),
        dir,
        form.has("prevValue") ? prevValue : null,
        prevIndex[0],
        waitIndex[0],
        recursive,
        sorted,
        wait,
        quorum,
        stream,
        noValueOnSuccess,
        ttl,
        prevExist,
        refresh);
  }

  /** Whether Go's {@code ParseForm} reads the body for this method (PUT, POST, PATCH). */
  static boolean readsBody(String method) {
    return method.equals("PUT") || method.equals("POST") || method.equals("PATCH");
  }

  private static KeyParse.Invalid invalid(ErrorCode code, String cause) {
    return new KeyParse.Invalid(code, cause);
  }

  private static KeyParse.Invalid badBool(String name) {
    return invalid(ErrorCode.INVALID_FIELD, "invalid value for \"" + name + "\"");
  }

  /** Go {@code getBool}: false when absent, null when the first value is not a Go bool. */
  private static @Nullable Boolean bool(GoForm form, String name) {
    return form.has(name) ? GoStrconv.parseBool(form.first(name)) : Boolean.FALSE;
  }

  /** Go {@code getUint64}: 0 when absent; false when the first value is not a uint64. */
  private static boolean uint(GoForm form, String name, long[] out) {
    if (!form.has(name)) {
      return true;
    }
    Long v = GoStrconv.parseUint(form.first(name));
    if (v == null) {
      return false;
    }
    out[0] = v < 0 ? Long.MAX_VALUE : v;
    return true;
  }
}
