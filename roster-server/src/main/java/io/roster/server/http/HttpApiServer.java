package io.roster.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd v2 HTTP API server: a Netty NIO server on the client listen addresses serving {@code
 * /v2/keys}, {@code /v2/members}, {@code /v2/machines}, {@code /v2/stats/*}, {@code /version},
 * {@code /v2/auth/*}, {@code /health} and {@code /metrics} with etcd 3.4's routing and wire
 * behaviour.
 *
 * <p><b>Threads.</b> One acceptor thread and {@link HttpLimits#eventLoopThreads()} event-loop
 * threads serve every connection; no thread is ever held per request or per watch. Backend calls
 * that do not complete at once ({@link KeysBackend#propose}, quorum reads, health checks) finish
 * asynchronously.
 *
 * <p><b>Connections.</b> Each connection reads one request at a time and answers in order (see
 * {@code HttpConnection}). At most {@link HttpLimits#maxConnections()} are open; a connection
 * accepted over the cap is answered {@code 503 Service Unavailable} in plain text and closed before
 * any request is read, so the cap also bounds watch connections.
 *
 * <p>Thread-safe. {@link #close()} stops accepting, closes every connection (ending open watches;
 * their watches are cancelled) and stops the threads.
 */
public final class HttpApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);
  private static final byte[] OVER_CAPACITY =
      ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
              + "Connection: close\r\n\r\n503 Service Unavailable: too many connections")
          .getBytes(StandardCharsets.US_ASCII);

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ChannelGroup channels;
  private final List<InetSocketAddress> bound;
  private final HttpMetrics metrics;

  private HttpApiServer(
      EventLoopGroup boss,
      EventLoopGroup workers,
      ChannelGroup channels,
      List<InetSocketAddress> bound,
      HttpMetrics metrics) {
    this.boss = boss;
    this.workers = workers;
    this.channels = channels;
    this.bound = bound;
    this.metrics = metrics;
  }

  /**
   * Starts serving with etcd's default CORS policy ({@code *}).
   *
   * @see #start(List, KeysBackend, ClusterView, PrometheusMeterRegistry, HttpLimits, Cors)
   */
  public static HttpApiServer start(
      List<InetSocketAddress> listen,
      KeysBackend keys,
      ClusterView cluster,
      PrometheusMeterRegistry metrics,
      HttpLimits limits)
      throws IOException {
    return start(listen, keys, cluster, metrics, limits, Cors.allowAll());
  }

  /**
   * Binds every address and starts serving; returns once all are bound.
   *
   * @param listen the client listen addresses; port 0 picks a free port (see {@link
   *     #boundAddresses()})
   * @param keys the keyspace backend
   * @param cluster what members, stats and health report
   * @param metrics where the {@code roster_http_*} meters are registered and what {@code /metrics}
   *     exposes
   * @param limits sizes, timeouts and caps
   * @param cors the CORS policy ({@code --cors})
   * @throws IOException if an address cannot be bound; nothing is left running then
   */
  public static HttpApiServer start(
      List<InetSocketAddress> listen,
      KeysBackend keys,
      ClusterView cluster,
      PrometheusMeterRegistry metrics,
      HttpLimits limits,
      Cors cors)
      throws IOException {
    HttpMetrics httpMetrics = new HttpMetrics(metrics);
    Endpoints endpoints =
        new Endpoints(
            new KeysHandler(keys, cluster, httpMetrics, limits),
            new MembersHandler(cluster),
            new StatsHandler(cluster, Clock.systemUTC()),
            new HealthHandler(cluster, httpMetrics),
            new AuthHandler(cluster),
            cluster,
            httpMetrics,
            limits,
            cors);
    EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("roster-http-accept"));
    EventLoopGroup workers =
        new NioEventLoopGroup(limits.eventLoopThreads(), new DefaultThreadFactory("roster-http"));
    ChannelGroup channels = new DefaultChannelGroup("roster-http", GlobalEventExecutor.INSTANCE);
    int headerLimit = limits.maxHeaderBytes() + 4096;
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (!httpMetrics.tryOpenConnection(limits.maxConnections())) {
                      log.warn("refusing {}: {} connections open", ch, limits.maxConnections());
                      ch.writeAndFlush(Unpooled.wrappedBuffer(OVER_CAPACITY))
                          .addListener(ChannelFutureListener.CLOSE);
                      return;
                    }
                    ch.closeFuture().addListener(f -> httpMetrics.connectionClosed());
                    channels.add(ch);
                    ConnectionGuard guard = new ConnectionGuard(limits);
                    ch.pipeline()
                        .addLast("guard", guard)
                        .addLast("codec", new ServerCodec(headerLimit, headerLimit, 8192))
                        .addLast("flow", new FlowControlHandler())
                        .addLast("http", new HttpConnection(endpoints, guard));
                  }
                });
    List<InetSocketAddress> bound = new ArrayList<>();
    try {
      for (InetSocketAddress address : listen) {
        Channel server = bootstrap.bind(address).syncUninterruptibly().channel();
        channels.add(server);
        bound.add((InetSocketAddress) server.localAddress());
      }
    } catch (RuntimeException e) {
      channels.close().awaitUninterruptibly();
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
      throw new IOException("cannot bind the client listen addresses " + listen, e);
    }
    log.info("serving the etcd v2 API on {}", bound);
    return new HttpApiServer(boss, workers, channels, List.copyOf(bound), httpMetrics);
  }

  /** The bound addresses, in the order given to {@code start}, with real ports. */
  public List<InetSocketAddress> boundAddresses() {
    return bound;
  }

  /** Open client connections (watches included). */
  public int openConnections() {
    return metrics.openConnections();
  }

  /** Stops accepting, closes every connection and stops the threads. Idempotent; blocks briefly. */
  @Override
  public void close() {
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
