package io.roster.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.roster.api.ErrorCode;
import io.roster.store.StoreError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads requests strictly one at a time, routes them, and hands each to its
 * endpoint as an {@link Exchange}.
 *
 * <p><b>Flow control.</b> The channel runs with auto-read off behind a {@code FlowControlHandler},
 * so every {@code read()} yields at most one decoded HTTP object. The connection asks for the next
 * object only while it is receiving a request (head, then body parts) and, once a response has been
 * fully written, for the next request. Pipelined requests are therefore answered in order, a slow
 * reader stalls its own connection rather than the server's memory, and a request being handled
 * cannot be overtaken. While a watch streams, one read stays posted so that a client closing the
 * connection is noticed at once (the watch is then cancelled); anything the client sends meanwhile
 * is held back (one object) and processed after the watch ends, as Go does.
 *
 * <p><b>Go's server behaviour reproduced here</b> (all answered in Go's raw form: status line,
 * {@code Content-Type: text/plain; charset=utf-8}, {@code Connection: close}, no length, then
 * close): headers or request line over the limit: {@code 431 Request Header Fields Too Large};
 * malformed request line, header or target: {@code 400 Bad Request}; HTTP/1.1 without {@code Host}:
 * {@code 400 Bad Request: missing required Host header}; a major version other than 1: {@code 505
 * HTTP Version Not Supported: unsupported protocol version}. Then, in etcd's handler order: {@code
 * OPTIONS} on any path is 200 with CORS only; target {@code *} is 400 with {@code Connection:
 * close}; an unclean path is redirected ({@link Router}); then the endpoint.
 *
 * <p><b>Bodies.</b> Only two kinds are buffered, each with its limit checked while reading: form
 * bodies of keys PUT/POST ({@link HttpLimits#maxFormBodyBytes()}) and JSON bodies of members
 * POST/PUT and auth PUT (413 over {@link HttpLimits#maxJsonBodyBytes()}, then close). Every other
 * body is read and dropped as it arrives, never buffered. Chunked bodies are decoded with Go's
 * rules ({@link ServerCodec}, {@link GoChunkedReader}); a framing error becomes the body's error
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
 *
 * <p>An exception escaping an endpoint is logged and answered (keys: error 300; others: 500 {@code
 * {"message":"Internal Server Error"}}); a failure in this class's own machinery closes the
 * connection. All methods run on the channel's event loop.
 *
 * <p>Past 500 lines on purpose: this is the single owner of a connection's request state (head,
 * body policy, Go's unread-body rule, dispatch, pipelining); split up, that state would have to be
 * shared between classes that all run on the same event loop anyway.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);
  private static final String FORM_TOO_LARGE = "http: POST too large";

  /** Go's {@code maxPostHandlerReadBytes}: unread body it will still read to keep a connection. */
  static final int MAX_POST_HANDLER_READ = 256 << 10;

  private enum State {
    AWAIT_HEAD,
    READING_BODY,
    HANDLING,
    CLOSED
  }

  private enum BodyPolicy {
    DISCARD,
    FORM,
    JSON
  }

  private final Endpoints endpoints;
  private final ConnectionGuard guard;
  private @Nullable ChannelHandlerContext ctx;
  private State state = State.AWAIT_HEAD;
  private @Nullable HttpRequest head;
  private @Nullable RequestTarget target;
  private BodyPolicy policy = BodyPolicy.DISCARD;
  private @Nullable ByteBuf body;
  private @Nullable Exchange current;
  private @Nullable Object held;
  private long declared;
  private long received;
  private @Nullable String bodyError;
  private boolean closeAfter;

  HttpConnection(Endpoints endpoints, ConnectionGuard guard) {
    this.endpoints = endpoints;
    this.guard = guard;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.CLOSED;
    releaseBody();
    Object h = held;
    held = null;
    ReferenceCountUtil.release(h);
    Exchange ex = current;
    current = null;
    if (ex != null) {
      ex.connectionClosed();
      endpoints.metrics().requestFinished(ex.method(), ex.status() == 0 ? 499 : ex.status());
    } else if (head != null) {
      endpoints.metrics().requestFinished(head.method().name(), 499);
    }
    head = null;
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      switch (state) {
        case CLOSED -> ReferenceCountUtil.release(msg);
        case HANDLING -> {
          if (held == null) {
            held = msg;
          } else {
            ReferenceCountUtil.release(msg);
          }
        }
        case AWAIT_HEAD -> {
          if (msg instanceof HttpRequest request) {
            onHead(ctx, request);
          } else {
            ReferenceCountUtil.release(msg);
            ctx.read();
          }
        }
        case READING_BODY -> {
          if (msg instanceof HttpContent content) {
            onContent(ctx, content);
          } else {
            ReferenceCountUtil.release(msg);
            rawError(ctx, HttpResponseStatus.BAD_REQUEST, null);
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("closing {} after an internal error", ctx.channel(), e);
      ReferenceCountUtil.release(msg);
      state = State.CLOSED;
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing {}: {}", ctx.channel(), cause.toString());
    state = State.CLOSED;
    ctx.close();
  }

  private void onHead(ChannelHandlerContext ctx, HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      ReferenceCountUtil.release(request);
      if (result.cause() instanceof TooLongFrameException) {
        rawError(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, null);
      } else {
        rawError(ctx, HttpResponseStatus.BAD_REQUEST, null);
      }
      return;
    }
    HttpVersion version = request.protocolVersion();
    if (version.majorVersion() != 1) {
      ReferenceCountUtil.release(request);
      rawError(ctx, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "unsupported protocol version");
      return;
    }
    List<String> hosts = request.headers().getAll("Host");
    if (version.minorVersion() >= 1 && hosts.isEmpty()) {
      ReferenceCountUtil.release(request);
      rawError(ctx, HttpResponseStatus.BAD_REQUEST, "missing required Host header");
      return;
    }
    if (hosts.size() > 1) {
      ReferenceCountUtil.release(request);
      rawError(ctx, HttpResponseStatus.BAD_REQUEST, "too many Host headers");
      return;
    }
    RequestTarget t = RequestTarget.parse(request.uri());
    if (t == null) {
      ReferenceCountUtil.release(request);
      rawError(ctx, HttpResponseStatus.BAD_REQUEST, null);
      return;
    }
    guard.headReceived();
    endpoints.metrics().requestStarted();
    head = request;
    target = t;
    state = State.READING_BODY;
    policy = bodyPolicy(request.method().name(), t, request.headers());
    declared =
        HttpUtil.isTransferEncodingChunked(request) ? -1 : HttpUtil.getContentLength(request, 0L);
    received = 0;
    bodyError = null;
    closeAfter = false;
    switch (policy) {
      case FORM -> {
        int limit = endpoints.limits().maxFormBodyBytes();
        if (declared > limit && declared - limit > MAX_POST_HANDLER_READ) {
          ReferenceCountUtil.release(request);
          bodyError = FORM_TOO_LARGE;
          closeAfter = true;
          dispatch(ctx);
          return;
        }
      }
      case JSON -> {
        if (declared > endpoints.limits().maxJsonBodyBytes()) {
          ReferenceCountUtil.release(request);
          jsonTooLarge(ctx);
          return;
        }
      }
      case DISCARD -> {
        if (declared >= MAX_POST_HANDLER_READ) {
          ReferenceCountUtil.release(request);
          closeAfter = true;
          dispatch(ctx);
          return;
        }
      }
    }
    if (policy != BodyPolicy.DISCARD) {
      body = ctx.alloc().buffer();
    }
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    if (request instanceof HttpContent content) {
      onContent(ctx, content);
    } else {
      ctx.read();
    }
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    try {
      DecoderResult result = content.decoderResult();
      if (result.isFailure()) {
        releaseBody();
        if (!(result.cause() instanceof GoChunkedReader.FramingException framing)) {
          rawError(ctx, HttpResponseStatus.BAD_REQUEST, null);
          return;
        }
        closeAfter = true;
        if (bodyError == null && policy != BodyPolicy.DISCARD) {
          bodyError = framing.getMessage();
        }
        dispatch(ctx);
        return;
      }
      ByteBuf data = content.content();
      received += data.readableBytes();
      switch (policy) {
        case FORM -> {
          int limit = endpoints.limits().maxFormBodyBytes();
          if (bodyError == null && received > limit) {
            releaseBody();
            bodyError = FORM_TOO_LARGE;
          }
          ByteBuf b = body;
          if (b != null) {
            b.writeBytes(data);
          } else if (declared < 0 && received - limit - 1 > MAX_POST_HANDLER_READ) {
            closeAfter = true;
            dispatch(ctx);
            return;
          }
        }
        case JSON -> {
          ByteBuf b = body;
          if (received > endpoints.limits().maxJsonBodyBytes() || b == null) {
            releaseBody();
            jsonTooLarge(ctx);
            return;
          }
          b.writeBytes(data);
        }
        case DISCARD -> {
          if (declared < 0 && received > MAX_POST_HANDLER_READ) {
            closeAfter = true;
            dispatch(ctx);
            return;
          }
        }
      }
    } finally {
      ReferenceCountUtil.release(content);
    }
    if (content instanceof LastHttpContent) {
      dispatch(ctx);
    } else {
      ctx.read();
    }
  }

  private void dispatch(ChannelHandlerContext ctx) {
    HttpRequest request = head;
    RequestTarget t = target;
    if (request == null || t == null) {
      throw new IllegalStateException("dispatch without a request");
    }
    state = State.HANDLING;
    guard.busy();
    ByteBuf b = body;
    body = null;
    String bodyText = null;
    if (b != null) {
      bodyText = b.toString(StandardCharsets.ISO_8859_1);
      b.release();
    }
    String method = request.method().name();
    Exchange ex =
        new Exchange(
            this,
            ctx,
            method,
            request.protocolVersion(),
            t.path(),
            t.rawQuery(),
            request.headers(),
            bodyText,
            bodyError,
            HttpUtil.isKeepAlive(request) && !closeAfter,
            endpoints.cors());
    current = ex;
    try {
      route(ex, t);
    } catch (RuntimeException e) {
      log.error("unexpected failure answering {} {}", method, request.uri(), e);
      internalError(ex);
    }
  }

  private void route(Exchange ex, RequestTarget t) {
    if (ex.method().equals("OPTIONS")) {
      ex.send(HttpResponseStatus.OK, ex.headers(), new byte[0]);
      return;
    }
    if (t.path().equals("*")) {
      ex.closeAfterResponse();
      ex.send(HttpResponseStatus.BAD_REQUEST, ex.headers(), new byte[0]);
      return;
    }
    String location = Router.redirectFor(t.path(), t.rawQuery());
    if (location != null) {
      Responses.redirect(ex, location);
      return;
    }
    switch (Router.route(t.path())) {
      case KEYS -> endpoints.keys().handle(ex, t.path().substring("/v2/keys".length()));
      case MEMBERS -> endpoints.members().handleMembers(ex, t.path());
      case MACHINES -> endpoints.members().handleMachines(ex);
      case STATS_SELF -> endpoints.stats().handleSelf(ex);
      case STATS_LEADER -> endpoints.stats().handleLeader(ex);
      case STATS_STORE -> endpoints.stats().handleStore(ex);
      case VERSION -> endpoints.health().handleVersion(ex);
      case HEALTH -> endpoints.health().handleHealth(ex);
      case METRICS -> endpoints.health().handleMetrics(ex);
      case AUTH -> endpoints.auth().handle(ex, t.path());
      case NOT_FOUND -> Responses.notFound(ex);
    }
  }

  /** Answers an exchange whose endpoint threw. */
  void internalError(Exchange ex) {
    if (Router.route(ex.path()) == Router.Endpoint.KEYS) {
      Responses.keysError(
          ex,
          endpoints.cluster().clusterId(),
          new StoreError(ErrorCode.RAFT_INTERNAL, "etcdserver: internal error", 0));
    } else {
      Responses.message(
          ex, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error", null);
    }
  }

  /** Called (on the event loop) once an exchange's response is written, or failed. */
  void exchangeFinished(Exchange ex, boolean keepAlive) {
    if (current != ex) {
      return;
    }
    current = null;
    head = null;
    target = null;
    endpoints.metrics().requestFinished(ex.method(), ex.status());
    ChannelHandlerContext c = ctx;
    if (c == null || state == State.CLOSED) {
      return;
    }
    if (!keepAlive || !c.channel().isActive()) {
      state = State.CLOSED;
      c.close();
      return;
    }
    state = State.AWAIT_HEAD;
    guard.idle();
    Object h = held;
    held = null;
    if (h != null) {
      channelRead(c, h);
    } else {
      c.read();
    }
  }

  /**
   * The response being written is the connection's last (a dropped watch): if a stalled client does
   * not take it within the idle timeout, the connection is closed anyway.
   */
  void closeWithin() {
    guard.idle();
  }

  /** A watch is streaming: keep one read posted to notice the client going away. */
  void watchStarted() {
    ChannelHandlerContext c = ctx;
    if (c != null && held == null) {
      c.read();
    }
  }

  private BodyPolicy bodyPolicy(String method, RequestTarget t, HttpHeaders headers) {
    if (Router.redirectFor(t.path(), t.rawQuery()) != null || method.equals("OPTIONS")) {
      return BodyPolicy.DISCARD;
    }
    Router.Endpoint e = Router.route(t.path());
    if (e == Router.Endpoint.KEYS && (method.equals("PUT") || method.equals("POST"))) {
      String type = GoForm.parseMediaType(headers.get("Content-Type")).type();
      return type.equals(GoForm.FORM_MEDIA_TYPE) ? BodyPolicy.FORM : BodyPolicy.DISCARD;
    }
    if (e == Router.Endpoint.MEMBERS && (method.equals("PUT") || method.equals("POST"))) {
      return BodyPolicy.JSON;
    }
    if (e == Router.Endpoint.AUTH && AuthHandler.readsBody(method, t.path())) {
      return BodyPolicy.JSON;
    }
    return BodyPolicy.DISCARD;
  }

  /** A members or auth JSON body over {@link HttpLimits#maxJsonBodyBytes()}: 413, then close. */
  private void jsonTooLarge(ChannelHandlerContext ctx) {
    HttpRequest request = head;
    RequestTarget t = target;
    if (request == null || t == null) {
      throw new IllegalStateException("no request");
    }
    state = State.HANDLING;
    guard.busy();
    Exchange ex =
        new Exchange(
            this,
            ctx,
            request.method().name(),
            request.protocolVersion(),
            t.path(),
            t.rawQuery(),
            request.headers(),
            null,
            null,
            false,
            endpoints.cors());
    current = ex;
    Responses.message(
        ex,
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        "http: request body too large",
        endpoints.cluster().clusterId());
  }

  /** Go's raw connection-level error answer, then close. */
  private void rawError(
      ChannelHandlerContext ctx, HttpResponseStatus status, @Nullable String detail) {
    state = State.CLOSED;
    String text = status.code() + " " + status.reasonPhrase();
    HttpResponseStatus line = status;
    if (detail != null) {
      text = text + ": " + detail;
      line = new HttpResponseStatus(status.code(), status.reasonPhrase() + ": " + detail);
    }
    HttpHeaders h = new DefaultHttpHeaders();
    h.set("Content-Type", Responses.TEXT);
    h.set("Connection", "close");
    DefaultFullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            line,
            Unpooled.copiedBuffer(text, StandardCharsets.UTF_8),
            h,
            HttpHeaders.EMPTY_HEADERS);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private void releaseBody() {
    ByteBuf b = body;
    body = null;
    if (b != null) {
      b.release();
    }
  }
}
