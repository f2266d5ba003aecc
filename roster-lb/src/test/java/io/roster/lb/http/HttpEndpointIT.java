package io.roster.lb.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.roster.lb.Endpoint;
import io.roster.lb.NotSentException;
import io.roster.lb.pool.ConnectFailedException;
import io.roster.lb.pool.PoolListener;
import io.roster.lb.pool.PoolSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One endpoint's pooled HTTP/1.1 exchanges against a real JDK HTTP server on 127.0.0.1. */
final class HttpEndpointIT {
  private static HttpTransport transport;
  private HttpServer server;
  private ExecutorService threads;
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private final List<Map<String, String>> headersSeen = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile long delayMillis;
  private volatile boolean closeConnection;
  private volatile int bodyBytes = 2;
  private @Nullable HttpEndpoint endpoint;

  @BeforeAll
  static void startTransport() {
    transport = HttpTransport.newBuilder().ioThreads(1).maxResponseBytes(1024).build();
  }

  @AfterAll
  static void stopTransport() {
    transport.close();
  }

  @BeforeEach
  void startServer() throws Exception {
    threads = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            requests.incrementAndGet();
            clientPorts.add(ex.getRemoteAddress().getPort());
            Map<String, String> h = new ConcurrentHashMap<>();
            ex.getRequestHeaders()
                .forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            h.put(":method", ex.getRequestMethod());
            h.put(":path", ex.getRequestURI().toString());
            h.put(":body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            headersSeen.add(h);
            if (delayMillis > 0) {
              try {
                Thread.sleep(delayMillis);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            if (closeConnection) {
              ex.getResponseHeaders().set("Connection", "close");
            }
            byte[] body = "x".repeat(bodyBytes).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("X-Answer", "42");
            ex.sendResponseHeaders(201, body.length);
            ex.getResponseBody().write(body);
          }
        });
    server.setExecutor(threads);
    server.start();
  }

  @AfterEach
  void stopServer() {
    HttpEndpoint e = endpoint;
    if (e != null) {
      e.close();
    }
    server.stop(0);
    threads.shutdownNow();
  }

  private HttpEndpoint open(PoolSettings settings) {
    HttpEndpoint e =
        transport.endpoint(
            Endpoint.of("127.0.0.1", server.getAddress().getPort()),
            settings,
            PoolListener.NONE,
            System::nanoTime);
    endpoint = e;
    return e;
  }

  private static HttpResponse join(CompletableFuture<HttpResponse> f) {
    return f.orTimeout(20, TimeUnit.SECONDS).join();
  }

  private static Throwable failure(CompletableFuture<HttpResponse> f) {
    try {
      f.orTimeout(20, TimeUnit.SECONDS).join();
      throw new AssertionError("expected failure");
    } catch (CompletionException e) {
      return java.util.Objects.requireNonNull(e.getCause());
    }
  }

  private static void await(BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s");
      }
      Thread.sleep(10);
    }
  }

  private static final Duration LONG = Duration.ofSeconds(20);

  @Test
  void send_postWithBodyAndHeaders_roundTrips() {
    HttpEndpoint e = open(PoolSettings.defaults().withWarmUp(0));
    HttpRequest r =
        HttpRequest.post("/things?x=1", "payload".getBytes(StandardCharsets.UTF_8))
            .withHeader("X-Custom", "yes");

    HttpResponse resp = join(e.send(r, LONG));

    assertThat(resp.status()).isEqualTo(201);
    assertThat(resp.header("x-answer")).isEqualTo("42");
    assertThat(resp.bodyText()).isEqualTo("xx");
    Map<String, String> seen = headersSeen.get(0);
    assertThat(seen)
        .containsEntry(":method", "POST")
        .containsEntry(":path", "/things?x=1")
        .containsEntry(":body", "payload")
        .containsEntry("x-custom", "yes")
        .containsEntry("host", "127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void sequentialRequests_reuseOneKeptAliveConnection() {
    HttpEndpoint e = open(PoolSettings.defaults().withWarmUp(0));

    for (int i = 0; i < 10; i++) {
      assertThat(join(e.send(HttpRequest.get("/"), LONG)).status()).isEqualTo(201);
    }

    assertThat(clientPorts).hasSize(1);
    assertThat(e.pool().created()).isEqualTo(1);
    assertThat(e.inFlight()).isZero();
  }

  @Test
  void connectionCloseResponse_connectionNotReused() {
    closeConnection = true;
    HttpEndpoint e = open(PoolSettings.defaults().withWarmUp(0));

    for (int i = 0; i < 3; i++) {
      assertThat(join(e.send(HttpRequest.get("/"), LONG)).status()).isEqualTo(201);
    }

    assertThat(clientPorts).hasSize(3);
    assertThat(e.pool().created()).isEqualTo(3);
  }

  @Test
  void warmUp_opensConnectionsBeforeFirstRequest() throws Exception {
    HttpEndpoint e = open(PoolSettings.defaults().withWarmUp(3));

    await(() -> e.pool().idle() == 3);

    assertThat(requests.get()).isZero();
    assertThat(join(e.send(HttpRequest.get("/"), LONG)).status()).isEqualTo(201);
    assertThat(e.pool().created()).isEqualTo(3);
  }

  @Test
  void slowServer_attemptTimeout_closesConnection() throws Exception {
    delayMillis = 2000;
    HttpEndpoint e = open(PoolSettings.defaults().withWarmUp(0));

    Throwable t = failure(e.send(HttpRequest.get("/"), Duration.ofMillis(200)));

    assertThat(t)
        .isInstanceOf(AttemptTimeoutException.class)
        .isNotInstanceOf(NotSentException.class);
    await(() -> e.pool().open() == 0);
    assertThat(e.pool().destroyed()).isEqualTo(1);
  }

  @Test
  void cancel_inFlight_closesConnectionAndFreesPlace() throws Exception {
    delayMillis = 2000;
    HttpEndpoint e = open(PoolSettings.defaults().withWarmUp(0).withMaxConnections(1));
    CompletableFuture<HttpResponse> f = e.send(HttpRequest.get("/"), LONG);
    await(() -> requests.get() == 1);

    f.cancel(false);

    await(() -> e.pool().open() == 0);
    delayMillis = 0;
    assertThat(join(e.send(HttpRequest.get("/"), LONG)).status()).isEqualTo(201);
  }

  @Test
  void responseTooLarge_failsWithConnectionLost() {
    bodyBytes = 4096;
    HttpEndpoint e = open(PoolSettings.defaults().withWarmUp(0));

    assertThat(failure(e.send(HttpRequest.get("/"), LONG)))
        .isInstanceOf(ConnectionLostException.class);
  }

  @Test
  void refused_failsWithConnectFailed_notSent() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    HttpEndpoint e =
        transport.endpoint(
            Endpoint.of("127.0.0.1", port),
            PoolSettings.defaults().withWarmUp(0),
            PoolListener.NONE,
            System::nanoTime);
    endpoint = e;

    Throwable t = failure(e.send(HttpRequest.post("/", new byte[] {1}), LONG));

    assertThat(t).isInstanceOf(ConnectFailedException.class);
    assertThat(((NotSentException) t).endpointAtFault()).isTrue();
  }

  @Test
  void serverClosesIdleConnection_nextRequestStillSucceeds() throws Exception {
    HttpEndpoint e = open(PoolSettings.defaults().withWarmUp(0));
    assertThat(join(e.send(HttpRequest.get("/"), LONG)).status()).isEqualTo(201);

    server.stop(0);
    await(() -> e.pool().open() == 0);
    int port = server.getAddress().getPort();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            ex.sendResponseHeaders(204, -1);
          }
        });
    server.setExecutor(threads);
    server.start();

    assertThat(join(e.send(HttpRequest.get("/"), LONG)).status()).isEqualTo(204);
  }

  @Test
  void close_inFlightFinishes_thenPoolDrained() throws Exception {
    delayMillis = 300;
    HttpEndpoint e = open(PoolSettings.defaults().withWarmUp(0));
    CompletableFuture<HttpResponse> f = e.send(HttpRequest.get("/"), LONG);
    await(() -> requests.get() == 1);

    e.close();

    assertThat(join(f).status()).isEqualTo(201);
    await(() -> e.pool().drained());
  }
}
