package io.roster.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The body of one request as it arrives on an {@link HttpConnection}: which kind is kept, its
 * limit, and when to stop reading and answer at once. Not thread-safe; used on the connection's
 * event loop only. Owns the buffer it fills until {@link #takeText()} or {@link #release()}.
 *
 * <p><b>Kinds.</b> Only two are buffered, each with its limit checked while reading: form bodies of
 * keys PUT/POST ({@link HttpLimits#maxFormBodyBytes()}) and JSON bodies of members POST/PUT and
 * auth PUT (413 over {@link HttpLimits#maxJsonBodyBytes()}, then close). Every other body is read
 * and dropped as it arrives, never buffered. A chunked framing error becomes the body's error
 * ({@link Exchange#bodyError()}: 210 with Go's text for a form, 400 for members, "Invalid JSON" for
 * auth), the request is otherwise handled as usual, and the connection closes after it.
 *
 * <p><b>Unread body and keep-alive</b> (Go's {@code maxPostHandlerReadBytes}, 256 KiB). Go reads
 * what a handler left of the body only up to 256 KiB before answering; more, and it answers with
 * {@code Connection: close} and closes. Here: a form over the limit is answered 210 {@code http:
 * POST too large} (Go's handler read limit + 1 bytes); the connection stays open when the rest —
 * {@code Content-Length} minus limit + 1 below 256 KiB, or for chunked bodies at most 256 KiB + 1
 * more bytes arriving — is read and dropped first, and otherwise the answer goes out at once with
 * {@code Connection: close} (a declared length is judged before reading anything). A body no
 * handler reads follows the same rule from zero: {@code Content-Length} of 256 KiB or more, or a
 * chunked body reaching 256 KiB + 1 bytes, is answered at once and the connection closed.
 */
final class RequestBody {
  private static final String FORM_TOO_LARGE = "http: POST too large";

  /** Go's {@code maxPostHandlerReadBytes}: unread body it will still read to keep a connection. */
  static final int MAX_POST_HANDLER_READ = 256 << 10;

  /** What is kept of a body. */
  enum Kind {
    DISCARD,
    FORM,
    JSON
  }

  /** What the connection does next. */
  enum Next {
    /** Ask for more of the body (or, after the last part, handle the request). */
    READ,
    /** Handle the request now, with what was read so far; the rest is not read. */
    DISPATCH,
    /** Answer 413 and close. */
    JSON_TOO_LARGE
  }

  private final Kind kind;
  private final HttpLimits limits;
  private final long declared;
  private long received;
  private @Nullable ByteBuf buffer;
  private @Nullable String error;
  private boolean closeAfter;

  /** {@code declared} is the {@code Content-Length}, or -1 for a chunked body. */
  RequestBody(Kind kind, HttpLimits limits, long declared) {
    this.kind = kind;
    this.limits = limits;
    this.declared = declared;
  }

  /** The kind of body a request to {@code t} keeps; redirected and OPTIONS requests keep none. */
  static Kind kindOf(String method, RequestTarget t, HttpHeaders headers) {
    if (Router.redirectFor(t.path(), t.rawQuery()) != null || method.equals("OPTIONS")) {
      return Kind.DISCARD;
    }
    Router.Endpoint e = Router.route(t.path());
    if (e == Router.Endpoint.KEYS && (method.equals("PUT") || method.equals("POST"))) {
      String type = GoForm.parseMediaType(headers.get("Content-Type")).type();
      return type.equals(GoForm.FORM_MEDIA_TYPE) ? Kind.FORM : Kind.DISCARD;
    }
    if (e == Router.Endpoint.MEMBERS && (method.equals("PUT") || method.equals("POST"))) {
      return Kind.JSON;
    }
    if (e == Router.Endpoint.AUTH && AuthHandler.readsBody(method, t.path())) {
      return Kind.JSON;
    }
    return Kind.DISCARD;
  }

  /** Judges the declared length before anything is read; on {@link Next#READ}, gets a buffer. */
  Next start(ByteBufAllocator alloc) {
    switch (kind) {
      case FORM -> {
        int limit = limits.maxFormBodyBytes();
        if (declared > limit && declared - limit > MAX_POST_HANDLER_READ) {
          error = FORM_TOO_LARGE;
          closeAfter = true;
          return Next.DISPATCH;
        }
      }
      case JSON -> {
        if (declared > limits.maxJsonBodyBytes()) {
          return Next.JSON_TOO_LARGE;
        }
      }
      case DISCARD -> {
        if (declared >= MAX_POST_HANDLER_READ) {
          closeAfter = true;
          return Next.DISPATCH;
        }
      }
    }
    if (kind != Kind.DISCARD) {
      buffer = alloc.buffer();
    }
    return Next.READ;
  }

  /** Takes in one part of the body (not retained: the caller releases it). */
  Next onData(ByteBuf data) {
    received += data.readableBytes();
    switch (kind) {
      case FORM -> {
        int limit = limits.maxFormBodyBytes();
        if (error == null && received > limit) {
          release();
          error = FORM_TOO_LARGE;
        }
        ByteBuf b = buffer;
        if (b != null) {
          b.writeBytes(data);
        } else if (declared < 0 && received - limit - 1 > MAX_POST_HANDLER_READ) {
          closeAfter = true;
          return Next.DISPATCH;
        }
      }
      case JSON -> {
        ByteBuf b = buffer;
        if (received > limits.maxJsonBodyBytes() || b == null) {
          release();
          return Next.JSON_TOO_LARGE;
        }
        b.writeBytes(data);
      }
      case DISCARD -> {
        if (declared < 0 && received > MAX_POST_HANDLER_READ) {
          closeAfter = true;
          return Next.DISPATCH;
        }
      }
    }
    return Next.READ;
  }

  /**
   * A chunked framing error: what was read is dropped, the error (Go's text) becomes the body's
   * error unless it already has one or is discarded, and the connection closes after the answer.
   */
  void framingError(@Nullable String message) {
    release();
    closeAfter = true;
    if (error == null && kind != Kind.DISCARD) {
      error = message;
    }
  }

  /** The buffered body as ISO-8859-1 text (null if none is kept); releases the buffer. */
  @Nullable String takeText() {
    ByteBuf b = buffer;
    buffer = null;
    if (b == null) {
      return null;
    }
    String text = b.toString(StandardCharsets.ISO_8859_1);
    b.release();
    return text;
  }

  /** Why the body cannot be used (a form over the limit, a framing error), or null. */
  @Nullable String error() {
    return error;
  }

  /** Whether the connection must close after this request's answer. */
  boolean closeAfter() {
    return closeAfter;
  }

  /** Releases the buffer, if any; idempotent. */
  void release() {
    ByteBuf b = buffer;
    buffer = null;
    if (b != null) {
      b.release();
    }
  }
}
