package io.roster.it.fault;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injecting TCP proxy in front of one member's peer port: the address the other members
 * know it by (in {@code --initial-cluster}) is this proxy, which forwards each connection to the
 * member's real {@code --listen-peer-urls} port.
 *
 * <p>All members run on 127.0.0.1, so an address cannot say who is connecting; the proxy asks the
 * {@code identify} function (the connecting socket's source port → member name, see {@link
 * SocketOwners}) once per accepted connection. {@link #block} cuts one source: it closes that
 * source's proxied connections (both directions travel on them: gRPC carries requests one way and
 * responses the other) and closes new connections from it as soon as they are accepted, until
 * {@link #unblock}. A connection whose source cannot be identified is let through and counted.
 *
 * <p>Thread-safe. Two daemon threads pump each live connection; one accepts.
 */
final class PeerProxy implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerProxy.class);

  private final String name;
  private final int targetPort;
  private final IntFunction<Optional<String>> identify;
  private final ServerSocket listener;
  private final Thread acceptor;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final Set<String> blocked = new HashSet<>();

  @GuardedBy("lock")
  private final List<Link> links = new ArrayList<>();

  @GuardedBy("lock")
  private boolean closed;

  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong unidentified = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  /** One proxied connection from {@code source}. */
  private record Link(String source, Socket downstream, Socket upstream) {
    void close() {
      closeQuietly(downstream);
      closeQuietly(upstream);
    }
  }

  /**
   * Listens on 127.0.0.1:{@code listenPort} at once.
   *
   * @param identify maps a connecting socket's source port to the member that owns it
   */
  PeerProxy(String name, int listenPort, int targetPort, IntFunction<Optional<String>> identify) {
    this.name = name;
    this.targetPort = targetPort;
    this.identify = identify;
    try {
      listener = new ServerSocket();
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 128);
    } catch (IOException e) {
      throw new UncheckedIOException("proxy for " + name + " cannot listen on " + listenPort, e);
    }
    acceptor = new Thread(this::acceptLoop, "proxy-" + name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Cuts {@code source} off from this member until {@link #unblock}. */
  void block(String source) {
    List<Link> cut = new ArrayList<>();
    synchronized (lock) {
      blocked.add(source);
      for (Link l : links) {
        if (l.source().equals(source)) {
          cut.add(l);
        }
      }
      links.removeAll(cut);
    }
    cut.forEach(Link::close);
    LOG.info("proxy {}: cut {} ({} connections closed)", name, source, cut.size());
  }

  /** Lets new connections from {@code source} through again. */
  void unblock(String source) {
    synchronized (lock) {
      blocked.remove(source);
    }
  }

  void unblockAll() {
    synchronized (lock) {
      blocked.clear();
    }
  }

  /** Connections accepted whose source member could not be identified (0 in a healthy run). */
  long unidentified() {
    return unidentified.get();
  }

  long accepted() {
    return accepted.get();
  }

  /** Connections closed on accept because their source was cut. */
  long refused() {
    return refused.get();
  }

  private void acceptLoop() {
    while (true) {
      Socket down;
      try {
        down = listener.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      Optional<String> source = identify.apply(down.getPort());
      if (source.isEmpty()) {
        unidentified.incrementAndGet();
        LOG.warn("proxy {}: cannot identify the member behind port {}", name, down.getPort());
      }
      String src = source.orElse("?");
      synchronized (lock) {
        if (closed || blocked.contains(src)) {
          refused.incrementAndGet();
          closeQuietly(down);
          continue;
        }
      }
      Socket up = new Socket();
      try {
        up.setTcpNoDelay(true);
        down.setTcpNoDelay(true);
        up.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
      } catch (IOException e) {
        closeQuietly(down);
        closeQuietly(up);
        continue;
      }
      Link link = new Link(src, down, up);
      synchronized (lock) {
        if (closed || blocked.contains(src)) {
          link.close();
          continue;
        }
        links.add(link);
      }
      startPump(link, down, up, "up");
      startPump(link, up, down, "down");
    }
  }

  private void startPump(Link link, Socket from, Socket to, String dir) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // closed by a cut, by the peer, or by a crash
              } finally {
                synchronized (lock) {
                  links.remove(link);
                }
                link.close();
              }
            },
            "proxy-" + name + "-" + link.source() + "-" + dir);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() {
    List<Link> all;
    synchronized (lock) {
      closed = true;
      all = new ArrayList<>(links);
      links.clear();
    }
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
    all.forEach(Link::close);
  }
}
