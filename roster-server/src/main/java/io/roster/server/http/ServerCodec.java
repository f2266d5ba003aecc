package io.roster.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import org.jspecify.annotations.Nullable;

/**
 * Netty's {@code HttpServerCodec} with one change: a {@code Transfer-Encoding: chunked} request
 * body is decoded by {@link GoChunkedReader} (Go's rules and error texts) instead of Netty's more
 * lenient chunk parser.
 *
 * <p>Netty parses the request line and headers as usual. When it emits the head of a chunked
 * request, its own state machine is reset (the reset takes effect at its next call) and the
 * following bytes go to a {@link GoChunkedReader} until that emits its last content; then Netty
 * resumes with the next request on a clean state. The response side is {@code HttpServerCodec}'s:
 * the method of each request is queued so that the answer to a HEAD request is encoded without a
 * body, and a successful CONNECT answer loses its {@code Transfer-Encoding}. Not thread-safe; one
 * per channel.
 */
final class ServerCodec
    extends CombinedChannelDuplexHandler<ServerCodec.RequestDecoder, ServerCodec.ResponseEncoder> {
  private final Queue<HttpMethod> methods = new ArrayDeque<>();

  /**
   * @param maxLine request line limit
   * @param maxHeaders header block limit
   * @param maxContent the largest body slice handed on as one content
   */
  ServerCodec(int maxLine, int maxHeaders, int maxContent) {
    HttpDecoderConfig config =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(maxLine)
            .setMaxHeaderSize(maxHeaders)
            .setMaxChunkSize(maxContent);
    init(new RequestDecoder(config, maxContent), new ResponseEncoder());
  }

  final class RequestDecoder extends HttpRequestDecoder {
    private final int maxContent;
    private @Nullable GoChunkedReader chunked;
    private boolean swallow;

    RequestDecoder(HttpDecoderConfig config, int maxContent) {
      super(config);
      this.maxContent = maxContent;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out)
        throws Exception {
      GoChunkedReader body = chunked;
      if (body != null) {
        body.decode(buffer, out);
        if (body.finished()) {
          chunked = null;
          swallow = body.failed();
        }
        return;
      }
      if (swallow) {
        buffer.skipBytes(buffer.readableBytes());
        return;
      }
      int from = out.size();
      super.decode(ctx, buffer, out);
      for (int i = from; i < out.size(); i++) {
        if (out.get(i) instanceof HttpRequest request) {
          methods.add(request.method());
          if (request.decoderResult().isSuccess() && HttpUtil.isTransferEncodingChunked(request)) {
            chunked = new GoChunkedReader(maxContent);
            reset();
          }
        }
      }
    }
  }

  final class ResponseEncoder extends HttpResponseEncoder {
    private @Nullable HttpMethod method;

    @Override
    protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
      if (!isAlwaysEmpty
          && HttpMethod.CONNECT.equals(method)
          && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
        msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        return;
      }
      super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      method = methods.poll();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }
  }
}
