package io.roster.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-connection deadline, sitting in front of the HTTP codec so that it sees raw bytes.
 *
 * <p>A connection is always in one phase: waiting for the first byte of a request ({@code AWAIT}:
 * the header timeout for a new connection, the idle timeout between keep-alive requests), receiving
 * the request line and headers ({@code HEAD}: header timeout from the first byte), receiving a body
 * ({@code BODY}: body timeout from the end of the headers), or {@code BUSY} (handling the request
 * or streaming a watch: no deadline at all). When the deadline passes the connection is closed; a
 * slowloris client that trickles headers is cut off after the header timeout, and an open watch is
 * never timed out.
 *
 * <p>One timer per connection, never per watch, and it is not rescheduled on every transition: when
 * it fires it compares the clock with the current deadline and re-arms itself for the remainder, so
 * a moved-out deadline costs nothing. Only a deadline moved earlier than the armed time replaces
 * the timer. All methods run on the channel's event loop.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private enum Phase {
    AWAIT,
    HEAD,
    BODY,
    BUSY
  }

  private final long headerTimeoutNanos;
  private final long bodyTimeoutNanos;
  private final long idleTimeoutNanos;
  private @Nullable ChannelHandlerContext ctx;
  private Phase phase = Phase.AWAIT;
  private long deadline;
  private @Nullable ScheduledFuture<?> timer;
  private long timerAt;

  ConnectionGuard(HttpLimits limits) {
    this.headerTimeoutNanos = limits.headerTimeout().toNanos();
    this.bodyTimeoutNanos = limits.bodyTimeout().toNanos();
    this.idleTimeoutNanos = limits.idleTimeout().toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    phase = Phase.AWAIT;
    setDeadline(System.nanoTime() + headerTimeoutNanos);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (phase == Phase.AWAIT && msg instanceof ByteBuf b && b.isReadable()) {
      phase = Phase.HEAD;
      setDeadline(System.nanoTime() + headerTimeoutNanos);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimer();
    deadline = 0;
    ctx.fireChannelInactive();
  }

  /** The request line and headers are complete; the body (if any) follows. */
  void headReceived() {
    phase = Phase.BODY;
    setDeadline(System.nanoTime() + bodyTimeoutNanos);
  }

  /** The request is being handled or streamed: no deadline. */
  void busy() {
    phase = Phase.BUSY;
    deadline = 0;
  }

  /** The response is written; the connection waits for its next request. */
  void idle() {
    phase = Phase.AWAIT;
    setDeadline(System.nanoTime() + idleTimeoutNanos);
  }

  private void setDeadline(long at) {
    deadline = at;
    if (timer == null || at - timerAt < 0) {
      cancelTimer();
      arm(at);
    }
  }

  private void arm(long at) {
    ChannelHandlerContext c = ctx;
    if (c == null || !c.channel().isOpen()) {
      return;
    }
    timerAt = at;
    timer =
        c.executor()
            .schedule(this::fire, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void fire() {
    timer = null;
    ChannelHandlerContext c = ctx;
    if (deadline == 0 || c == null) {
      return;
    }
    if (System.nanoTime() - deadline >= 0) {
      log.debug("closing {}: {} timeout", c.channel(), phase);
      c.close();
    } else {
      arm(deadline);
    }
  }

  private void cancelTimer() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
      timer = null;
    }
  }
}
