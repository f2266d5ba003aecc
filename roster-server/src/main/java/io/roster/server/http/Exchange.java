package io.roster.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Date;
import org.jspecify.annotations.Nullable;

/**
 * One request and its response on a connection: what handlers read (method, path, query, headers,
 * body) and the only way they answer. Exactly one response per exchange: either {@link #send} (a
 * complete response) or {@link #startStream}, chunks, then {@link #endStream} (a watch).
 *
 * <p>Every response gets, in Go's order, the CORS headers first, then the handler's headers, then
 * {@code Date}, {@code Content-Length} (or chunked transfer) and {@code Connection} as Go's server
 * would add it. A HEAD response keeps the {@code Content-Length} of the body it does not send.
 *
 * <p><b>Threads.</b> {@link #send} may be called from any thread (a backend future completing on a
 * Raft thread); it hops to the channel's event loop. The stream methods must be called on the event
 * loop. When the response has been written, the connection is told ({@link
 * HttpConnection#exchangeFinished}) and only then reads its next request, which keeps pipelined
 * requests in order and gives backpressure.
 */
final class Exchange {
  private final HttpConnection connection;
  private final ChannelHandlerContext ctx;
  private final String method;
  private final HttpVersion version;
  private final String path;
  private final String rawQuery;
  private final HttpHeaders requestHeaders;
  private final @Nullable String body;
  private final @Nullable String bodyError;
  private final Cors cors;
  private boolean keepAlive;
  private boolean answered;
  private int status;
  private @Nullable Runnable onClose;

  Exchange(
      HttpConnection connection,
      ChannelHandlerContext ctx,
      String method,
      HttpVersion version,
      String path,
      String rawQuery,
      HttpHeaders requestHeaders,
      @Nullable String body,
      @Nullable String bodyError,
      boolean keepAlive,
      Cors cors) {
    this.connection = connection;
    this.ctx = ctx;
    this.method = method;
    this.version = version;
    this.path = path;
    this.rawQuery = rawQuery;
    this.requestHeaders = requestHeaders;
    this.body = body;
    this.bodyError = bodyError;
    this.keepAlive = keepAlive;
    this.cors = cors;
  }

  String method() {
    return method;
  }

  /** The clean, percent-decoded path (byte string). */
  String path() {
    return path;
  }

  String rawQuery() {
    return rawQuery;
  }

  HttpHeaders requestHeaders() {
    return requestHeaders;
  }

  /** The buffered body (byte string), or null when the route does not read bodies. */
  @Nullable String body() {
    return body;
  }

  /**
   * Why the body could not be read, in Go's words ({@code http: POST too large}, a chunked framing
   * error such as {@code invalid byte in chunk length}), or null. Set only for bodies a handler
   * reads (keys forms, members and auth JSON); {@link #body()} is then null. The connection closes
   * after the response when the body is unusable, except for an oversized form whose excess Go
   * would still have read and discarded.
   */
  @Nullable String bodyError() {
    return bodyError;
  }

  /** The status sent, 0 before. */
  int status() {
    return status;
  }

  /** Answer with {@code Connection: close} and close after the response. */
  void closeAfterResponse() {
    keepAlive = false;
  }

  /** New response headers, starting with the CORS headers. */
  HttpHeaders headers() {
    HttpHeaders h = new DefaultHttpHeaders();
    cors.addTo(h, requestHeaders.get("Origin"));
    return h;
  }

  /** Sends a complete response with {@code Content-Length}. Any thread. */
  void send(HttpResponseStatus status, HttpHeaders headers, byte[] content) {
    send(status, headers, content, true);
  }

  /**
   * Sends a complete response; without {@code withLength} no {@code Content-Length} is added (Go's
   * redirect answer to HEAD).
   */
  void send(HttpResponseStatus status, HttpHeaders headers, byte[] content, boolean withLength) {
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(() -> send(status, headers, content, withLength));
      return;
    }
    if (answered) {
      return;
    }
    answered = true;
    this.status = status.code();
    headers.set("Date", DateFormatter.format(new Date()));
    if (withLength) {
      headers.set("Content-Length", content.length);
    }
    addConnectionHeader(headers);
    boolean head = method.equals("HEAD");
    DefaultFullHttpResponse response =
        new DefaultFullHttpResponse(
            version,
            status,
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(content),
            headers,
            HttpHeaders.EMPTY_HEADERS);
    if (!ctx.channel().isActive()) {
      response.release();
      connection.exchangeFinished(this, false);
      return;
    }
    ctx.writeAndFlush(response)
        .addListener(
            (ChannelFutureListener)
                f -> connection.exchangeFinished(this, keepAlive && f.isSuccess()));
  }

  /**
   * Sends the status and headers of a streamed response and flushes them at once (a watch).
   * HTTP/1.1 uses chunked transfer; HTTP/1.0 streams the raw body and closes at the end. Event loop
   * only.
   */
  void startStream(HttpHeaders headers) {
    answered = true;
    status = 200;
    if (version.equals(HttpVersion.HTTP_1_0)) {
      keepAlive = false;
    } else {
      headers.set("Transfer-Encoding", "chunked");
    }
    headers.set("Date", DateFormatter.format(new Date()));
    addConnectionHeader(headers);
    ctx.writeAndFlush(new DefaultHttpResponse(version, HttpResponseStatus.OK, headers))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  /** Writes and flushes one chunk; {@code written} runs when it is on the wire (or failed). */
  void writeChunk(byte[] content, Runnable written) {
    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(content)))
        .addListener(
            (ChannelFutureListener)
                f -> {
                  written.run();
                  if (!f.isSuccess()) {
                    f.channel().close();
                  }
                });
  }

  /**
   * Ends a streamed response; {@code close} also closes the connection after it, and at the latest
   * after the idle timeout if a stalled client never lets the rest be written.
   */
  void endStream(boolean close) {
    if (close) {
      keepAlive = false;
      connection.closeWithin();
    }
    if (!ctx.channel().isActive()) {
      connection.exchangeFinished(this, false);
      return;
    }
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
        .addListener(
            (ChannelFutureListener)
                f -> connection.exchangeFinished(this, keepAlive && f.isSuccess()));
  }

  /**
   * Closes the connection without finishing the response, so that the client sees a broken
   * connection and retries (a watch whose store was replaced). Event loop only.
   */
  void abort() {
    keepAlive = false;
    ctx.channel().close();
  }

  /** Runs {@code hook} if the connection closes while this exchange is open (watch cleanup). */
  void onConnectionClosed(Runnable hook) {
    this.onClose = hook;
  }

  /** Called by the connection when the channel closes under this exchange. */
  void connectionClosed() {
    Runnable hook = onClose;
    onClose = null;
    if (hook != null) {
      hook.run();
    }
  }

  /** A watch began streaming on this exchange. Event loop. */
  void watchStarted() {
    connection.watchStarted();
  }

  /** The event loop of the connection. */
  io.netty.util.concurrent.EventExecutor executor() {
    return ctx.executor();
  }

  /** Whether the connection is still open. */
  boolean isOpen() {
    return ctx.channel().isActive();
  }

  private void addConnectionHeader(HttpHeaders headers) {
    if (!keepAlive) {
      if (!version.equals(HttpVersion.HTTP_1_0)) {
        headers.set("Connection", "close");
      }
    } else if (version.equals(HttpVersion.HTTP_1_0)) {
      headers.set("Connection", "keep-alive");
    }
  }
}
