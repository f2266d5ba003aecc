package io.roster.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP front end's meters, registered once per server, and the {@code /metrics} scrape.
 *
 * <ul>
 *   <li>{@code roster_http_requests_total{method,code}}: finished requests; methods outside the
 *       etcd set are counted as {@code other} so that clients cannot grow the label space;
 *   <li>{@code roster_http_requests_in_flight}: requests received and not yet answered (watches
 *       included);
 *   <li>{@code roster_http_watchers_active}: open watch responses;
 *   <li>{@code roster_http_connections_open} and {@code roster_http_connections_rejected_total}
 *       (over {@link HttpLimits#maxConnections()}).
 * </ul>
 *
 * Thread-safe.
 */
final class HttpMetrics {
  private final PrometheusMeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger watchers = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final Counter rejected;
  private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();

  HttpMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("roster.http.requests.in.flight", inFlight, AtomicInteger::get)
        .description("HTTP requests received and not yet answered, watches included")
        .register(registry);
    Gauge.builder("roster.http.watchers.active", watchers, AtomicInteger::get)
        .description("Open watch responses")
        .register(registry);
    Gauge.builder("roster.http.connections.open", connections, AtomicInteger::get)
        .description("Open client connections")
        .register(registry);
    rejected =
        Counter.builder("roster.http.connections.rejected")
            .description("Client connections refused over the connection cap")
            .register(registry);
  }

  void requestStarted() {
    inFlight.incrementAndGet();
  }

  void requestFinished(String method, int status) {
    inFlight.decrementAndGet();
    String m =
        switch (method) {
          case "GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS" -> method;
          default -> "other";
        };
    String key = m + ' ' + status;
    requests
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("roster.http.requests")
                    .description("Answered HTTP requests")
                    .tag("method", m)
                    .tag("code", Integer.toString(status))
                    .register(registry))
        .increment();
  }

  void watcherStarted() {
    watchers.incrementAndGet();
  }

  void watcherEnded() {
    watchers.decrementAndGet();
  }

  int watchers() {
    return watchers.get();
  }

  /** Counts a connection in; false (and counted as rejected) when the cap is reached. */
  boolean tryOpenConnection(int max) {
    if (connections.incrementAndGet() > max) {
      connections.decrementAndGet();
      rejected.increment();
      return false;
    }
    return true;
  }

  void connectionClosed() {
    connections.decrementAndGet();
  }

  int openConnections() {
    return connections.get();
  }

  /** The Prometheus text exposition of the whole registry. */
  String scrape() {
    return registry.scrape();
  }
}
