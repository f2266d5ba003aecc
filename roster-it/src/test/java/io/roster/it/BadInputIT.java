package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Robustness against malformed and hostile input over raw sockets: a seeded storm of {@value
 * #STORM} requests (bad request lines and methods, bad percent-encoding and UTF-8, huge headers,
 * bodies over 10 MiB, bad Content-Lengths, truncated bodies, disconnects mid-request and mid-watch,
 * slowloris, random values for every keys parameter), then: the server is alive and healthy, every
 * key written before the storm is intact, no well-formed request got a 5xx (a 500 is allowed only
 * as errorCode 300), and its open file descriptors come back near the baseline. A dozen malformed
 * requests that etcd answers deterministically are compared with real etcd.
 */
@ExtendWith(DumpLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
  private static final Logger log = LoggerFactory.getLogger(BadInputIT.class);

  static final int STORM = 5000;
  static final int KNOWN = 40;
  static final long SEED = Long.getLong("roster.it.badinput.seed", 4242L);

  static ServerProcess server;
  static ServerProcess etcd;

  @BeforeAll
  static void start() {
    server = ServerProcess.start(ServerKind.underTest(), "badinput");
    etcd = ServerProcess.start(ServerKind.ETCD, "badinput-ref");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private static final String[] PARAMS = {
    "value",
    "ttl",
    "prevExist",
    "prevValue",
    "prevIndex",
    "dir",
    "recursive",
    "sorted",
    "wait",
    "waitIndex",
    "stream",
    "quorum",
    "noValueOnSuccess",
    "refresh"
  };
  private static final String[] PARAM_VALUES = {
    "",
    "true",
    "false",
    "1",
    "0",
    "-1",
    "t",
    "F",
    "yes",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999",
    "1e3",
    "%zz",
    "%",
    "%ff%fe",
    "%00",
    "a+b",
    "%E4%B8%AD",
    "null",
    "[]",
    "{}",
    "%0d%0a",
    "\u00e9",
    "5",
    "1000"
  };
  private static final String[] METHODS = {"GET", "PUT", "POST", "DELETE", "HEAD"};

  /** One storm request: bytes, whether it is well-formed HTTP, and how to finish it. */
  private record Shot(String kind, byte[] bytes, boolean wellFormed, int readMillis, boolean cut) {}

  @Test
  @Order(1)
  void storm_serverSurvivesAndKeepsData() throws Exception {
    EtcdV2Http http = server.client();
    for (int i = 0; i < KNOWN; i++) {
      assertThat(http.put("/known/k" + i, "value=v" + i).status()).isIn(200, 201);
    }
    http.put("/known/dir/child", "value=c");
    long pid = server.pid();
    ServerProcess.sleep(500);
    int baselineFds = fdCount(pid);

    Random rnd = new Random(SEED);
    List<Shot> shots = new ArrayList<>();
    for (int i = 0; i < STORM; i++) {
      shots.add(shot(rnd, server.clientPort, i));
    }
    Map<String, AtomicInteger> byKind = new TreeMap<>();
    Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> bad5xx = new CopyOnWriteArrayList<>();
    List<String> tooLarge = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    long t0 = System.nanoTime();
    for (Shot s : shots) {
      byKind.computeIfAbsent(s.kind(), k -> new AtomicInteger()).incrementAndGet();
      pool.submit(
          () -> {
            RawHttp.Response r = fire(server.clientPort, s);
            String key = s.wellFormed() ? "well-formed " + r.status() : "malformed " + r.status();
            statuses.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (s.kind().equals("body>10MiB")
                && !(r.status() == 400
                    && r.bodyText().contains("\"errorCode\":210")
                    && r.bodyText().contains("http: POST too large"))) {
              tooLarge.add(head(s.bytes()) + "\n  -> " + r);
            }
            if (s.wellFormed() && r.status() >= 500) {
              boolean raftError = r.status() == 500 && r.bodyText().contains("\"errorCode\":300");
              if (!raftError) {
                bad5xx.add(s.kind() + ": " + head(s.bytes()) + "\n  -> " + r);
              }
            }
          });
    }
    Thread slowloris = slowloris(server.clientPort, 20, 1500);
    pool.shutdown();
    assertThat(pool.awaitTermination(4, TimeUnit.MINUTES)).as("storm finished").isTrue();
    slowloris.join(5000);
    log.info(
        "BadInputIT: {} malformed/random requests (seed {}) in {} s; kinds {}; statuses {}",
        STORM,
        SEED,
        String.format("%.1f", (System.nanoTime() - t0) / 1e9),
        byKind,
        new TreeMap<>(statuses));

    assertThat(server.isAlive()).as("server process alive after the storm").isTrue();
    assertThat(http.send("GET", "/health", null).status())
        .as("/health after the storm")
        .isEqualTo(200);
    for (int i = 0; i < KNOWN; i++) {
      EtcdV2Http.Reply r = http.get("/known/k" + i);
      assertThat(r.status()).as("/known/k%d after the storm: %s", i, r).isEqualTo(200);
      assertThat(r.json().path("node").path("value").asText()).isEqualTo("v" + i);
    }
    assertThat(http.get("/known/dir/child").json().path("node").path("value").asText())
        .isEqualTo("c");
    assertThat(bad5xx).as("5xx answers to well-formed requests").isEmpty();
    assertThat(tooLarge).as("bodies over 10 MiB must get 400/210 'http: POST too large'").isEmpty();

    long deadline = System.nanoTime() + 20_000_000_000L;
    int fds = fdCount(pid);
    while (fds > baselineFds + 25 && System.nanoTime() < deadline) {
      ServerProcess.sleep(250);
      fds = fdCount(pid);
    }
    log.info("BadInputIT: open fds baseline {}, after storm {}", baselineFds, fds);
    assertThat(fds)
        .as("open file descriptors of pid %d come back near the baseline %d", pid, baselineFds)
        .isLessThanOrEqualTo(baselineFds + 25);
  }

  /** A dozen malformed requests that etcd answers deterministically, compared with etcd. */
  @Test
  @Order(2)
  void malformedRequests_matchEtcd() {
    Differ d = new Differ(etcd, server, false);
    d.rebase("malformed requests vs etcd");
    raw(d, "bad escape in path", p -> line("GET /v2/keys/a%zz HTTP/1.1", p));
    raw(d, "bad escape in query", p -> line("GET /v2/keys/a?recursive=%zz HTTP/1.1", p));
    raw(d, "unknown method", p -> line("FOO /v2/keys/x HTTP/1.1", p));
    raw(d, "lower-case method", p -> line("get /v2/keys/x HTTP/1.1", p));
    etcdClosesRosterRejects("bad HTTP version", p -> line("GET /v2/keys/x HTTP/9.9", p));
    raw(d, "no Host header", p -> ascii("GET /v2/keys/x HTTP/1.1\r\n\r\n"));
    raw(
        d,
        "header without colon",
        p -> ascii("GET /v2/keys/x HTTP/1.1\r\nHost: h\r\nnocolon\r\n\r\n"));
    raw(
        d,
        "non-numeric Content-Length",
        p -> ascii("PUT /v2/keys/x HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\nvalue=1"));
    raw(
        d,
        "two different Content-Lengths",
        p ->
            ascii(
                "PUT /v2/keys/x HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\nContent-Length: 8\r\n"
                    + "\r\nvalue=1"));
    raw(d, "invalid UTF-8 in key", p -> form("PUT", "/v2/keys/bad/%ff%fe", "value=x", p));
    raw(d, "read back invalid UTF-8 key", p -> line("GET /v2/keys/bad?recursive=true HTTP/1.1", p));
    raw(
        d,
        "bad chunk size",
        p ->
            ascii(
                "PUT /v2/keys/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Type:"
                    + " application/x-www-form-urlencoded\r\n\r\nzz\r\nvalue=1\r\n0\r\n\r\n"));
    raw(
        d,
        "header over 1 MiB",
        p ->
            ascii(
                "GET /v2/keys/x HTTP/1.1\r\nHost: h\r\nX-Big: "
                    + "a".repeat(1_100_000)
                    + "\r\n\r\n"));
    etcdClosesRosterRejects("space in path", p -> line("GET /v2/keys/a b HTTP/1.1", p));
    raw(d, "NUL in query", p -> line("GET /v2/keys/a?value=%00 HTTP/1.1", p));
    d.assertNoMismatch();
  }

  /**
   * Requests etcd's connection multiplexer (cmux) cannot classify as HTTP/1: etcd closes the
   * connection without a word. Roster may answer properly instead; it must reject and close.
   */
  private static void etcdClosesRosterRejects(String label, IntFunction<byte[]> bytes) {
    RawHttp.Response ref =
        RawHttp.exchange(etcd.clientPort, bytes.apply(etcd.clientPort), false, 5000);
    assertThat(ref.head()).as("etcd closes without answering: %s", label).isNull();
    RawHttp.Response r =
        RawHttp.exchange(server.clientPort, bytes.apply(server.clientPort), false, 5000);
    if (r.head() != null) {
      assertThat(r.status()).as("%s: %s", label, r).isBetween(400, 505);
      assertThat(r.header("Connection")).as("%s: %s", label, r).isEqualToIgnoringCase("close");
    }
  }

  private static void raw(Differ d, String label, IntFunction<byte[]> bytes) {
    d.sendRaw(label, bytes);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] line(String requestLine, int port) {
    return ascii(requestLine + "\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
  }

  private static byte[] form(String method, String target, String body, int port) {
    return RawHttp.request(
        method,
        target,
        port,
        "application/x-www-form-urlencoded",
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static String head(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, 160), StandardCharsets.ISO_8859_1);
    return s.replace("\r", "\\r").replace("\n", "\\n")
        + (b.length > 160 ? "…(" + b.length + ")" : "");
  }

  private static String pick(Random rnd, String[] a) {
    return a[rnd.nextInt(a.length)];
  }

  private static String randomKey(Random rnd) {
    String[] parts = {"storm", "a", "b", "_h", "q", "..", ".", "", "%2F", "%zz", "%ff", "中", "x y"};
    StringBuilder sb = new StringBuilder("/v2/keys/storm");
    int n = rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      sb.append('/').append(pick(rnd, parts));
    }
    return sb.toString();
  }

  private static byte[] garbage(Random rnd, int max) {
    byte[] b = new byte[1 + rnd.nextInt(max)];
    rnd.nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  /** One random request of the storm. */
  private static Shot shot(Random rnd, int port, int i) {
    String host = "Host: 127.0.0.1:" + port + "\r\n";
    int k = rnd.nextInt(100);
    if (i % 1250 == 7) {
      byte[] body = new byte[10 * 1024 * 1024 + 1024];
      Arrays.fill(body, (byte) 'z');
      System.arraycopy(ascii("value="), 0, body, 0, 6);
      return new Shot(
          "body>10MiB",
          form("PUT", "/v2/keys/storm/big", new String(body, StandardCharsets.ISO_8859_1), port),
          true,
          5000,
          false);
    }
    if (k < 40) {
      StringBuilder q = new StringBuilder();
      int n = 1 + rnd.nextInt(4);
      for (int j = 0; j < n; j++) {
        q.append(j == 0 ? '?' : '&')
            .append(pick(rnd, PARAMS))
            .append('=')
            .append(pick(rnd, PARAM_VALUES).replace(" ", "%20"));
      }
      String method = pick(rnd, METHODS);
      String target = randomKey(rnd).replace(" ", "%20") + q;
      String body = rnd.nextBoolean() ? "" : pick(rnd, PARAMS) + "=" + pick(rnd, PARAM_VALUES);
      byte[] bytes =
          method.equals("PUT") || method.equals("POST")
              ? RawHttp.request(
                  method,
                  target,
                  port,
                  "application/x-www-form-urlencoded",
                  body.getBytes(StandardCharsets.UTF_8))
              : RawHttp.request(method, target, port, null, null);
      boolean watch =
          target.contains("wait=true") || target.contains("wait=1") || target.contains("wait=t");
      return new Shot(
          "random-params",
          bytes,
          !target.contains("%zz") && !target.contains("%ff"),
          watch ? 150 : 2000,
          false);
    }
    if (k < 46) {
      return new Shot(
          "bad-request-line",
          concat(garbage(rnd, 200), ascii("\r\n" + host + "\r\n")),
          false,
          500,
          false);
    }
    if (k < 52) {
      String[] m = {
        "FOO", "G\u0000T", "CONNECT", "PATCH", "TRACE", "get", "PUT\tPUT", "PRI", "M-SEARCH", "ÄÖÜ"
      };
      return new Shot(
          "bad-method",
          ascii(
              pick(rnd, m)
                  + " "
                  + randomKey(rnd).replace(" ", "%20")
                  + " HTTP/1.1\r\n"
                  + host
                  + "\r\n"),
          false,
          500,
          false);
    }
    if (k < 58) {
      String[] t = {
        "/v2/keys/%",
        "/v2/keys/%4",
        "/v2/keys/%zz",
        "/v2/keys/a?%zz=1",
        "/v2/keys/a?x=%G1",
        "/v2/keys/%C0%AF",
        "/v2/keys/a%00b",
        "/v2/keys/\u00ff\u00fe",
        "/v2/keys/a?value=\u00ff",
        "*",
        "http://x/v2/keys/a",
        "/v2/keys/" + "a/".repeat(2000)
      };
      return new Shot(
          "bad-encoding",
          ascii("GET " + pick(rnd, t) + " HTTP/1.1\r\n" + host + "\r\n"),
          false,
          500,
          false);
    }
    if (k < 62) {
      byte[] body = concat(ascii("value="), garbage(rnd, 64));
      return new Shot(
          "invalid-utf8-body",
          concat(
              ascii(
                  "PUT /v2/keys/storm/u HTTP/1.1\r\n"
                      + host
                      + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n"),
              body),
          true,
          2000,
          false);
    }
    if (k < 65) {
      String big =
          rnd.nextBoolean()
              ? "X-Big: " + "h".repeat(1_100_000) + "\r\n"
              : "X-Many: 1\r\n".repeat(20_000);
      return new Shot(
          "huge-headers",
          ascii("GET /v2/keys/storm HTTP/1.1\r\n" + host + big + "\r\n"),
          false,
          3000,
          false);
    }
    if (k < 72) {
      String[] cl = {"-1", "abc", "99999999999999999999", "1e3", " 5", "5, 6", "0x10", "1000000"};
      return new Shot(
          "bad-content-length",
          ascii(
              "PUT /v2/keys/storm/cl HTTP/1.1\r\n"
                  + host
                  + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                  + pick(rnd, cl)
                  + "\r\n\r\nvalue=1"),
          false,
          300,
          rnd.nextBoolean());
    }
    if (k < 78) {
      return new Shot(
          "truncated-body",
          ascii(
              "PUT /v2/keys/storm/t HTTP/1.1\r\n"
                  + host
                  + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nvalue=trunc"),
          false,
          100,
          true);
    }
    if (k < 84) {
      String full =
          "PUT /v2/keys/storm/h HTTP/1.1\r\n"
              + host
              + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nvalue=1";
      return new Shot(
          "disconnect-mid-request",
          ascii(full.substring(0, rnd.nextInt(full.length()))),
          false,
          0,
          true);
    }
    if (k < 90) {
      String stream = rnd.nextBoolean() ? "&stream=true" : "";
      return new Shot(
          "disconnect-mid-watch",
          ascii(
              "GET /v2/keys/storm/w?wait=true&recursive=true"
                  + stream
                  + " HTTP/1.1\r\n"
                  + host
                  + "\r\n"),
          true,
          50,
          true);
    }
    if (k < 94) {
      return new Shot(
          "chunked-garbage",
          concat(
              ascii(
                  "PUT /v2/keys/storm/c HTTP/1.1\r\n"
                      + host
                      + "Transfer-Encoding: chunked\r\n\r\n"),
              garbage(rnd, 100)),
          false,
          300,
          rnd.nextBoolean());
    }
    return new Shot("pure-garbage", garbage(rnd, 400), false, 300, rnd.nextBoolean());
  }

  /** Sends one shot; reads the answer (or gives up after its read time) and closes. */
  private static RawHttp.Response fire(int port, Shot s) {
    if (s.bytes().length > 256 * 1024) {
      return RawHttp.exchange(port, s.bytes(), false, Math.max(1, s.readMillis()));
    }
    try (RawHttp.Conn c = RawHttp.Conn.open(port, Math.max(1, s.readMillis()))) {
      try {
        c.send(s.bytes());
      } catch (IOException e) {
        return new RawHttp.Response(null, new byte[0], "write: " + e);
      }
      if (s.cut() && s.readMillis() == 0) {
        return new RawHttp.Response(null, new byte[0], "cut");
      }
      return c.readResponse(
          s.bytes().length > 3
              && new String(s.bytes(), 0, 4, StandardCharsets.ISO_8859_1).equals("HEAD"));
    } catch (IOException e) {
      return new RawHttp.Response(null, new byte[0], e.toString());
    }
  }

  /** Slow clients that send a partial header a byte at a time, then give up. */
  private static Thread slowloris(int port, int clients, int millis) {
    Thread t =
        new Thread(
            () -> {
              List<RawHttp.Conn> conns = new ArrayList<>();
              try {
                for (int i = 0; i < clients; i++) {
                  conns.add(RawHttp.Conn.open(port, 1000));
                }
                byte[] partial =
                    ascii("GET /v2/keys/storm HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
                long end = System.nanoTime() + millis * 1_000_000L;
                int i = 0;
                while (System.nanoTime() < end) {
                  for (RawHttp.Conn c : conns) {
                    OutputStream out = c.socket.getOutputStream();
                    out.write(partial[i % partial.length]);
                    out.flush();
                  }
                  i++;
                  Thread.sleep(50);
                }
              } catch (IOException | InterruptedException e) {
                // the server may drop slow clients: that is allowed
              } finally {
                conns.forEach(RawHttp.Conn::close);
              }
            },
            "slowloris");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static int fdCount(long pid) {
    Path fd = Path.of("/proc", Long.toString(pid), "fd");
    try (Stream<Path> s = Files.list(fd)) {
      return (int) s.count();
    } catch (IOException e) {
      throw new AssertionError("cannot list " + fd + ": " + e, e);
    }
  }
}
