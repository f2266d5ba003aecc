package io.roster.lb.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.roster.lb.pool.PooledConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 connection carrying one exchange at a time (no pipelining). The pipeline is Netty's
 * client codec, an aggregator bounded by the transport's maximum response size, and {@link
 * Handler}, which completes the exchange in flight. A connection that closes, breaks, or delivers a
 * truncated or malformed response fails the exchange in flight with {@link
 * ConnectionLostException}; a write that fails fails it with {@link WriteFailedException}.
 */
final class HttpConnection implements PooledConnection {
  private final Channel channel;
  private final String address;
  private final AtomicReference<@Nullable CompletableFuture<HttpResponse>> inFlight =
      new AtomicReference<>();
  private volatile boolean keepAlive = true;

  HttpConnection(Channel channel, String address) {
    this.channel = channel;
    this.address = address;
  }

  /** Sends {@code request}; the stage completes with the whole response or fails as above. */
  CompletableFuture<HttpResponse> send(HttpRequest request) {
    CompletableFuture<HttpResponse> f = new CompletableFuture<>();
    if (!channel.isActive()) {
      f.completeExceptionally(
          new WriteFailedException(address, new IllegalStateException("connection closed")));
      return f;
    }
    if (!inFlight.compareAndSet(null, f)) {
      f.completeExceptionally(new IllegalStateException("an exchange is already in flight"));
      return f;
    }
    DefaultFullHttpRequest out =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.valueOf(request.method()),
            request.path(),
            Unpooled.wrappedBuffer(request.body()));
    request.headers().forEach((k, v) -> out.headers().set(k, v));
    out.headers().set(HttpHeaderNames.HOST, address);
    out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
    channel
        .writeAndFlush(out)
        .addListener(
            w -> {
              if (!w.isSuccess() && inFlight.compareAndSet(f, null)) {
                f.completeExceptionally(new WriteFailedException(address, w.cause()));
                var unused = channel.close();
              }
            });
    return f;
  }

  /** Whether the last response allows another request on this connection. */
  boolean reusable() {
    return keepAlive && channel.isActive();
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public void close() {
    var unused = channel.close();
  }

  @Override
  public void onClose(Runnable listener) {
    var unused = channel.closeFuture().addListener(f -> listener.run());
  }

  Handler handler() {
    return new Handler();
  }

  private void fail(RuntimeException e) {
    CompletableFuture<HttpResponse> f = inFlight.getAndSet(null);
    if (f != null) {
      f.completeExceptionally(e);
    }
  }

  /** Completes the exchange in flight from the aggregated response or the channel's end. */
  final class Handler extends SimpleChannelInboundHandler<FullHttpResponse> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
      if (msg.decoderResult().isFailure()) {
        keepAlive = false;
        fail(
            new ConnectionLostException(
                "bad or truncated response from " + address, msg.decoderResult().cause()));
        var unused = ctx.close();
        return;
      }
      Map<String, String> headers = new LinkedHashMap<>();
      msg.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
      HttpResponse response =
          new HttpResponse(msg.status().code(), headers, ByteBufUtil.getBytes(msg.content()));
      keepAlive = HttpUtil.isKeepAlive(msg);
      CompletableFuture<HttpResponse> f = inFlight.getAndSet(null);
      if (f != null) {
        f.complete(response);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      keepAlive = false;
      fail(
          new ConnectionLostException(
              "connection to " + address + " closed before the response was complete", null));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      keepAlive = false;
      fail(new ConnectionLostException("connection to " + address + " failed: " + cause, cause));
      var unused = ctx.close();
    }
  }
}
