package io.roster.bench;

import com.sun.net.httpserver.HttpServer;
import io.roster.lb.Endpoint;
import io.roster.lb.EndpointSource;
import io.roster.lb.balancer.Policy;
import io.roster.lb.client.LbClient;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpTransport;
import io.roster.lb.pool.PoolSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load comparison over real sockets: 10 HTTP backends on 127.0.0.1 answering after {@code base}
 * ms (JDK HttpServer, one sleeping thread per request), and an open-loop generator sending {@code
 * rate} GETs per second through an {@link LbClient} (full default stack: ejection, retries, budget;
 * no hedging) for {@code seconds} after a warm-up. Three scenarios — all healthy; one backend at
 * 10× latency; one backend failing 50% of its requests with 500 — under round robin, P2C
 * least-loaded and P2C peak-EWMA, each with a fresh client. Latency is measured from the intended
 * send time, so a stalled generator does not hide queueing (no coordinated omission).
 *
 * <p>Usage: {@code java -cp roster-bench/target/benchmarks.jar io.roster.bench.LoadBench [rate]
 * [seconds] [base-ms]} (defaults 500, 15, 10). A benchmark, not a test: it asserts nothing.
 */
public final class LoadBench {
  private LoadBench() {}

  /** A backend whose latency and failure share can be changed while it runs. */
  static final class Backend implements AutoCloseable {
    final HttpServer server;
    final ExecutorService threads = Executors.newCachedThreadPool();
    volatile long delayMillis;
    volatile double failShare;
    final AtomicLong requests = new AtomicLong();

    Backend(long delayMillis) throws IOException {
      this.delayMillis = delayMillis;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
      server.createContext(
          "/",
          ex -> {
            try (ex) {
              requests.incrementAndGet();
              try {
                Thread.sleep(this.delayMillis);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              int status = ThreadLocalRandom.current().nextDouble() < failShare ? 500 : 200;
              byte[] body = "ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
              ex.sendResponseHeaders(status, body.length);
              ex.getResponseBody().write(body);
            }
          });
      server.setExecutor(threads);
      server.start();
    }

    Endpoint endpoint() {
      return Endpoint.of("127.0.0.1", server.getAddress().getPort());
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  /** One run's numbers. */
  record Result(
      String scenario,
      String policy,
      long requests,
      long ok,
      double p50,
      double p99,
      double p999,
      long retries) {
    String row() {
      return String.format(
          Locale.ROOT,
          "%-24s %-18s %8d %9.1f %9.1f %9.1f %9.3f%% %8d",
          scenario,
          policy,
          requests,
          p50,
          p99,
          p999,
          100.0 * ok / Math.max(1, requests),
          retries);
    }
  }

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    // The JDK server otherwise leaves Nagle on: headers and body go out as two small segments,
    // and the second waits for the client's delayed ACK (~40 ms), which would swamp a 10 ms
    // backend.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    double rate = args.length > 0 ? Double.parseDouble(args[0]) : 500;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    long base = args.length > 2 ? Long.parseLong(args[2]) : 10;
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "10 backends, base latency %d ms, %.0f req/s open loop, %d s measured after 3 s warm-up%n",
        base,
        rate,
        seconds);
    out.printf(
        Locale.ROOT,
        "%-24s %-18s %8s %9s %9s %9s %10s %8s%n",
        "scenario",
        "policy",
        "requests",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "success",
        "retries");
    List<Backend> backends = new ArrayList<>();
    try (HttpTransport transport = HttpTransport.newBuilder().build()) {
      for (int i = 0; i < 10; i++) {
        backends.add(new Backend(base));
      }
      List<Endpoint> endpoints = backends.stream().map(Backend::endpoint).toList();
      Policy[] policies = {Policy.ROUND_ROBIN, Policy.P2C_LEAST_LOADED, Policy.P2C_PEAK_EWMA};
      String[] labels = {"round-robin", "p2c-least-loaded", "p2c-peak-ewma"};
      List<Result> results = new ArrayList<>();
      for (String scenario : List.of("all healthy", "one slow host (10x)", "one failing (50%)")) {
        Backend odd = backends.get(0);
        odd.delayMillis = scenario.startsWith("one slow") ? base * 10 : base;
        odd.failShare = scenario.startsWith("one failing") ? 0.5 : 0;
        for (int p = 0; p < policies.length; p++) {
          Result r = run(transport, endpoints, policies[p], labels[p], scenario, rate, seconds);
          results.add(r);
          out.println(r.row());
        }
      }
      Result healthy = find(results, "all healthy", "p2c-peak-ewma");
      Result slow = find(results, "one slow host (10x)", "p2c-peak-ewma");
      Result failing = find(results, "one failing (50%)", "p2c-peak-ewma");
      out.printf(
          Locale.ROOT,
          "p2c-peak-ewma: slow-host p99 / all-healthy p99 = %.2f (target <= 1.20); "
              + "failing-host success %.3f%% (target >= 99.9%%)%n",
          slow.p99 / healthy.p99,
          100.0 * failing.ok / failing.requests);
    } finally {
      backends.forEach(Backend::close);
    }
  }

  private static Result find(List<Result> rs, String scenario, String policy) {
    return rs.stream()
        .filter(r -> r.scenario.equals(scenario) && r.policy.equals(policy))
        .findFirst()
        .orElseThrow();
  }

  private static Result run(
      HttpTransport transport,
      List<Endpoint> endpoints,
      Policy policy,
      String label,
      String scenario,
      double rate,
      int seconds)
      throws InterruptedException {
    Histogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
    AtomicLong requests = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicInteger outstanding = new AtomicInteger();
    try (LbClient client =
        LbClient.newBuilder(EndpointSource.fixed(endpoints))
            .transport(transport)
            .policy(policy)
            .totalTimeout(Duration.ofSeconds(5))
            .pool(PoolSettings.defaults().withMaxConnections(64).withMaxPending(1024))
            .build()) {
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      long period = (long) (1e9 / rate);
      long start = System.nanoTime();
      long warmEnd = start + TimeUnit.SECONDS.toNanos(3);
      long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
      AtomicLong tick = new AtomicLong();
      var unusedTicks =
          ticker.scheduleAtFixedRate(
              () -> {
                long intended = start + tick.getAndIncrement() * period;
                if (intended >= end) {
                  return;
                }
                boolean measured = intended >= warmEnd;
                outstanding.incrementAndGet();
                var unused =
                    client
                        .send(HttpRequest.get("/"))
                        .whenComplete(
                            (r, e) -> {
                              outstanding.decrementAndGet();
                              if (!measured) {
                                return;
                              }
                              latency.recordValue(
                                  Math.max(0, (System.nanoTime() - intended) / 1000));
                              requests.incrementAndGet();
                              if (e == null && r.status() == 200) {
                                ok.incrementAndGet();
                              }
                            });
              },
              0,
              period,
              TimeUnit.NANOSECONDS);
      while (System.nanoTime() < end) {
        Thread.sleep(100);
      }
      ticker.shutdown();
      ticker.awaitTermination(10, TimeUnit.SECONDS);
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (outstanding.get() > 0 && System.nanoTime() < waitUntil) {
        Thread.sleep(10);
      }
      return new Result(
          scenario,
          label,
          requests.get(),
          ok.get(),
          latency.getValueAtPercentile(50) / 1000.0,
          latency.getValueAtPercentile(99) / 1000.0,
          latency.getValueAtPercentile(99.9) / 1000.0,
          client.stats().retries() + client.stats().requeues());
    }
  }
}
