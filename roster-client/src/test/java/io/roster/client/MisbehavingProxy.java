package io.roster.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on 127.0.0.1 (the JDK's {@code HttpServer}) that stands in front of a real
 * Roster and answers as the current {@link Mode} says: passes requests through (streaming, so a
 * watch's early headers arrive early), or misbehaves the way a broken, slow, or wrong endpoint
 * does. Switch modes at any time; a poll already forwarded finishes as it started.
 */
final class MisbehavingProxy implements AutoCloseable {
  private static final Pattern WAIT_INDEX = Pattern.compile("waitIndex=(\\d+)");

  enum Mode {
    /** Pass everything through to the upstream server. */
    FORWARD,
    /** Accept the request and never answer. */
    HANG,
    /** Answer 200 with etcd-looking headers and half a body, then stall. */
    STALL_BODY,
    /** Answer 200 with an HTML page. */
    HTML,
    /** Answer 200 with JSON that is not the etcd API. */
    WRONG_JSON,
    /** Answer 200 with binary garbage. */
    GARBAGE,
    /** Answer 200 with a body that never ends. */
    ENDLESS,
    /** Watch polls get a forged delete of the watched key at waitIndex; the rest is forwarded. */
    FORGED_DELETE,
    /** Watch polls get a forged event from before waitIndex; the rest is forwarded. */
    REWOUND_EVENT
  }

  private final URI upstream;
  private final HttpServer server;
  private final ExecutorService pool;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicLong requests = new AtomicLong();
  private volatile Mode mode = Mode.FORWARD;

  MisbehavingProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "misbehaving-proxy");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void mode(Mode m) {
    mode = m;
  }

  long requests() {
    return requests.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    Mode m = mode;
    String query = ex.getRequestURI().getRawQuery();
    boolean watch = query != null && query.contains("wait=true");
    try (ex) {
      switch (m) {
        case FORWARD -> forward(ex);
        case HANG -> sleepForever();
        case STALL_BODY -> {
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.getResponseHeaders().add("X-Etcd-Index", "1");
          ex.sendResponseHeaders(200, 0);
          OutputStream out = ex.getResponseBody();
          out.write("{\"action\":\"get\",\"node\":{".getBytes(StandardCharsets.UTF_8));
          out.flush();
          sleepForever();
        }
        case HTML -> reply(ex, 200, "text/html", "<html><body>It works!</body></html>");
        case WRONG_JSON -> reply(ex, 200, "application/json", "{\"hello\":\"world\"}");
        case GARBAGE -> {
          byte[] junk = new byte[512];
          new java.util.Random(7).nextBytes(junk);
          ex.sendResponseHeaders(200, junk.length);
          ex.getResponseBody().write(junk);
        }
        case ENDLESS -> {
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, 0);
          OutputStream out = ex.getResponseBody();
          byte[] spaces = new byte[64 * 1024];
          java.util.Arrays.fill(spaces, (byte) ' ');
          while (!Thread.currentThread().isInterrupted()) {
            out.write(spaces);
          }
        }
        case FORGED_DELETE, REWOUND_EVENT -> {
          if (!watch) {
            forward(ex);
            return;
          }
          Matcher wi = WAIT_INDEX.matcher(query);
          long waitIndex = wi.find() ? Long.parseLong(wi.group(1)) : 1;
          String key = ex.getRequestURI().getPath().substring("/v2/keys".length());
          String body =
              m == Mode.FORGED_DELETE
                  ? "{\"action\":\"delete\",\"node\":{\"key\":\""
                      + key
                      + "\",\"dir\":true,\"modifiedIndex\":"
                      + waitIndex
                      + ",\"createdIndex\":2}}"
                  : "{\"action\":\"set\",\"node\":{\"key\":\""
                      + key
                      + "/dc1/ghost\",\"value\":\"{\\\"hostname\\\":\\\"x\\\",\\\"port\\\":\\\"1\\\"}\","
                      + "\"modifiedIndex\":1,\"createdIndex\":1}}";
          ex.getResponseHeaders().add("X-Etcd-Index", Long.toString(waitIndex));
          reply(ex, 200, "application/json", body);
        }
      }
    } catch (IOException e) {
      // the client went away; nothing to do
    }
  }

  private void forward(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI().toString()));
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    if (ct != null) {
      b.header("Content-Type", ct);
    }
    b.method(
        ex.getRequestMethod(),
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<InputStream> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
      String name = h.getKey();
      if (name.equalsIgnoreCase("content-type") || name.toLowerCase().startsWith("x-")) {
        ex.getResponseHeaders().put(name, h.getValue());
      }
    }
    ex.sendResponseHeaders(r.statusCode(), 0);
    try (InputStream in = r.body()) {
      OutputStream out = ex.getResponseBody();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    }
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  private static void sleepForever() {
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
