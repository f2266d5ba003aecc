package io.roster.lb.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.roster.lb.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port) whose behaviour a test sets: a fixed
 * delay, a status, extra headers, or failing a share of requests. Records each request's roster
 * headers and method, and the highest number of requests it was ever handling at once.
 */
final class TestBackend implements AutoCloseable {
  /** What the backend saw of one request. */
  record Seen(String method, String attempt, String timeoutMs, long atNanos) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  final AtomicInteger concurrent = new AtomicInteger();
  final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicInteger count = new AtomicInteger();
  volatile long delayMillis;
  volatile int status = 200;
  volatile Map<String, String> headers = Map.of();

  /** Every n-th request (1-based) fails with 500 when n > 0. */
  volatile int failEvery;

  TestBackend() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  Endpoint endpoint() {
    return Endpoint.of("127.0.0.1", server.getAddress().getPort());
  }

  String address() {
    return endpoint().address();
  }

  int requests() {
    return seen.size();
  }

  private void handle(HttpExchange ex) throws IOException {
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    try (ex) {
      ex.getRequestBody().readAllBytes();
      seen.add(
          new Seen(
              ex.getRequestMethod(),
              String.valueOf(ex.getRequestHeaders().getFirst("Roster-Attempt")),
              String.valueOf(ex.getRequestHeaders().getFirst("Roster-Timeout-Ms")),
              System.nanoTime()));
      long d = delayMillis;
      if (d > 0) {
        try {
          Thread.sleep(d);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int n = count.incrementAndGet();
      int code = failEvery > 0 && n % failEvery == 0 ? 500 : status;
      headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      byte[] body =
          ("hello from " + server.getAddress().getPort()).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(code, body.length);
      ex.getResponseBody().write(body);
    } finally {
      concurrent.decrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** A port on 127.0.0.1 where nothing listens (connections are refused). */
  static Endpoint refusing() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return Endpoint.of("127.0.0.1", s.getLocalPort());
    }
  }

  /**
   * A raw server that reads each request's head, answers with a status line, headers promising 100
   * bytes and only 5 of them, then closes the connection: a response cut off mid-body.
   */
  static final class Truncating implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;
    final AtomicInteger requests = new AtomicInteger();

    Truncating() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread = new Thread(this::serve, "truncating-backend");
      thread.setDaemon(true);
      thread.start();
    }

    Endpoint endpoint() {
      return Endpoint.of("127.0.0.1", socket.getLocalPort());
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          InputStream in = s.getInputStream();
          int matched = 0;
          int b;
          while (matched < 4 && (b = in.read()) >= 0) {
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : 0;
          }
          requests.incrementAndGet();
          OutputStream out = s.getOutputStream();
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello"
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          s.shutdownOutput();
          TimeUnit.MILLISECONDS.sleep(20);
        } catch (IOException e) {
          if (socket.isClosed()) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
