package io.roster.lb.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.roster.lb.Endpoint;
import io.roster.lb.Scheduler;
import io.roster.lb.pool.ConnectionPool;
import io.roster.lb.pool.Connector;
import io.roster.lb.pool.PoolListener;
import io.roster.lb.pool.PoolSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The Netty side of roster-lb's HTTP/1.1 client: one event-loop group, shared by every endpoint,
 * that opens connections, runs their I/O, and runs roster-lb's timers ({@link #scheduler()}).
 *
 * <p>Stage callbacks (the replies of {@link HttpEndpoint#send}) run on event-loop threads: they
 * must not block; hand blocking work to an executor ({@code thenApplyAsync}).
 *
 * <p>Thread-safe. {@link #close()} stops the event loops, failing whatever is still in flight;
 * close the clients that use the transport first.
 */
public final class HttpTransport implements AutoCloseable {
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final int maxResponseBytes;
  private final Scheduler scheduler;

  private HttpTransport(Builder b) {
    this.group = new NioEventLoopGroup(b.ioThreads, new DefaultThreadFactory("roster-lb", true));
    this.maxResponseBytes = b.maxResponseBytes;
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) b.connectTimeout.toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {}
                });
    this.scheduler =
        (delay, task) -> {
          var unused = group.next().schedule(task, delay, TimeUnit.NANOSECONDS);
        };
  }

  /** Two I/O threads, connect timeout 1 s, responses up to 8 MiB. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** A scheduler on the transport's event loops, for timeouts, backoff and sweeps. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * A new endpoint with its own connection pool; it opens {@link PoolSettings#warmUp()} connections
   * at once. The caller owns it and must {@link HttpEndpoint#close()} it.
   */
  public HttpEndpoint endpoint(
      Endpoint endpoint, PoolSettings settings, PoolListener listener, LongSupplier clock) {
    ConnectionPool<HttpConnection> pool =
        ConnectionPool.newBuilder(endpoint.address(), connector(endpoint), scheduler)
            .settings(settings)
            .clock(clock)
            .listener(listener)
            .build();
    HttpEndpoint e = new HttpEndpoint(endpoint, pool, scheduler);
    pool.warmUp(settings.warmUp());
    return e;
  }

  Connector<HttpConnection> connector(Endpoint endpoint) {
    String address = endpoint.address();
    return () -> {
      CompletableFuture<HttpConnection> out = new CompletableFuture<>();
      ChannelFuture cf;
      try {
        cf = bootstrap.connect(endpoint.host(), endpoint.port());
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
        return out;
      }
      cf.addListener(
          f -> {
            if (!f.isSuccess()) {
              out.completeExceptionally(f.cause());
              return;
            }
            HttpConnection c = new HttpConnection(cf.channel(), address);
            cf.channel()
                .pipeline()
                .addLast(new HttpClientCodec())
                .addLast(new HttpObjectAggregator(maxResponseBytes))
                .addLast(c.handler());
            out.complete(c);
          });
      return out;
    };
  }

  /** Stops the event loops (quietly, within about a second). Idempotent. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Configures an {@link HttpTransport}. Not thread-safe. */
  public static final class Builder {
    private int ioThreads = 2;
    private Duration connectTimeout = Duration.ofSeconds(1);
    private int maxResponseBytes = 8 << 20;

    private Builder() {}

    /**
     * Event-loop threads; default 2.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder ioThreads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("ioThreads must be ≥ 1");
      }
      this.ioThreads = n;
      return this;
    }

    /**
     * TCP connect timeout; default 1 s ({@code client-resilience.md} §9.4).
     *
     * @throws IllegalArgumentException if not between 1 ms and 1 hour
     */
    public Builder connectTimeout(Duration d) {
      if (d.toMillis() < 1 || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("connectTimeout must be within [1 ms, 1 h]");
      }
      this.connectTimeout = d;
      return this;
    }

    /**
     * Largest response accepted (headers excluded); a bigger one fails its attempt with {@link
     * ConnectionLostException}. Default 8 MiB.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxResponseBytes(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxResponseBytes must be ≥ 1");
      }
      this.maxResponseBytes = n;
      return this;
    }

    /** The transport, with its event loops started. */
    public HttpTransport build() {
      return new HttpTransport(this);
    }
  }
}
