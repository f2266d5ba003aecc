package io.roster.server.http;

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
 * <p><b>Bodies.</b> Chunked bodies are decoded with Go's rules ({@link ServerCodec}, {@link
 * GoChunkedReader}). What is kept of a body, its limits, and Go's rule for a body a handler did not
 * read (when to answer early and close) are the request's {@link RequestBody}.
 *
 * <p>An exception escaping an endpoint is logged and answered (keys: error 300; others: 500 {@code
 * {"message":"Internal Server Error"}}); a failure in this class's own machinery closes the
 * connection. All methods run on the channel's event loop.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);

  private enum State {
    AWAIT_HEAD,
    READING_BODY,
    HANDLING,
    CLOSED
  }

  private final Endpoints endpoints;
  private final ConnectionGuard guard;
  private @Nullable ChannelHandlerContext ctx;
  private State state = State.AWAIT_HEAD;
  private @Nullable HttpRequest head;
  private @Nullable RequestTarget target;
  private @Nullable RequestBody body;
  private @Nullable Exchange current;
  private @Nullable Object held;

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
    long declared =
        HttpUtil.isTransferEncodingChunked(request) ? -1 : HttpUtil.getContentLength(request, 0L);
    RequestBody b =
        new RequestBody(
            RequestBody.kindOf(request.method().name(), t, request.headers()),
            endpoints.limits(),
            declared);
    body = b;
    switch (b.start(ctx.alloc())) {
      case DISPATCH -> {
        ReferenceCountUtil.release(request);
        dispatch(ctx);
        return;
      }
      case JSON_TOO_LARGE -> {
        ReferenceCountUtil.release(request);
        jsonTooLarge(ctx);
        return;
      }
      case READ -> {}
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
    RequestBody b = body;
    if (b == null) {
      throw new IllegalStateException("body part without a request");
    }
    try {
      DecoderResult result = content.decoderResult();
      if (result.isFailure()) {
        if (!(result.cause() instanceof GoChunkedReader.FramingException framing)) {
          b.release();
          rawError(ctx, HttpResponseStatus.BAD_REQUEST, null);
          return;
        }
        b.framingError(framing.getMessage());
        dispatch(ctx);
        return;
      }
      switch (b.onData(content.content())) {
        case DISPATCH -> {
          dispatch(ctx);
          return;
        }
        case JSON_TOO_LARGE -> {
          jsonTooLarge(ctx);
          return;
        }
        case READ -> {}
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
    RequestBody b = body;
    if (request == null || t == null || b == null) {
      throw new IllegalStateException("dispatch without a request");
    }
    state = State.HANDLING;
    guard.busy();
    body = null;
    String bodyText = b.takeText();
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
            b.error(),
            HttpUtil.isKeepAlive(request) && !b.closeAfter(),
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

  /** A members or auth JSON body over {@link HttpLimits#maxJsonBodyBytes()}: 413, then close. */
  private void jsonTooLarge(ChannelHandlerContext ctx) {
    HttpRequest request = head;
    RequestTarget t = target;
    if (request == null || t == null) {
      throw new IllegalStateException("no request");
    }
    releaseBody();
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
    RequestBody b = body;
    body = null;
    if (b != null) {
      b.release();
    }
  }
}
