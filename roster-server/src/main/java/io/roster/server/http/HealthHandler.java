package io.roster.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small operational endpoints (etcd {@code etcdhttp}): {@code /health}, {@code /version} and
 * {@code /metrics}.
 *
 * <ul>
 *   <li>{@code /health} (GET only): {@link ClusterView#checkHealth()} within {@link
 *       #HEALTH_TIMEOUT}; 200 {@code {"health":"true"}} (no newline; Go sniffs {@code text/plain;
 *       charset=utf-8}) or, unhealthy, failed or late, Go's {@code http.Error} 503 {@code
 *       {"health":"false"}\n}.
 *   <li>{@code /version} (GET only): {@code {"etcdserver":"3.4.23","etcdcluster":"3.4.0"}}. Roster
 *       claims the etcd version whose v2 API it reproduces, because clients (etcdctl, the Go
 *       client) gate features on it.
 *   <li>{@code /metrics} (any method, like {@code promhttp}): the Prometheus text exposition.
 * </ul>
 *
 * Thread-safe; the health check completes asynchronously and never blocks the event loop.
 */
final class HealthHandler {
  private static final Logger log = LoggerFactory.getLogger(HealthHandler.class);

  /** How long a health check may take before it counts as unhealthy (etcd: about a second). */
  static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

  static final byte[] VERSION =
      "{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}".getBytes(StandardCharsets.UTF_8);

  private final ClusterView cluster;
  private final HttpMetrics metrics;

  HealthHandler(ClusterView cluster, HttpMetrics metrics) {
    this.cluster = cluster;
    this.metrics = metrics;
  }

  void handleHealth(Exchange ex) {
    if (!ex.method().equals("GET")) {
      Responses.methodNotAllowed(ex, "GET", ex.headers());
      return;
    }
    cluster
        .checkHealth()
        .orTimeout(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (healthy, error) -> {
              if (error == null && Boolean.TRUE.equals(healthy)) {
                HttpHeaders h = ex.headers();
                h.set("Content-Type", Responses.TEXT);
                ex.send(
                    HttpResponseStatus.OK,
                    h,
                    "{\"health\":\"true\"}".getBytes(StandardCharsets.UTF_8));
              } else {
                if (error != null) {
                  log.debug("health check failed", error);
                }
                Responses.goError(
                    ex,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "{\"health\":\"false\"}",
                    ex.headers());
              }
            });
  }

  void handleVersion(Exchange ex) {
    if (!ex.method().equals("GET")) {
      Responses.methodNotAllowed(ex, "GET", ex.headers());
      return;
    }
    Responses.json(ex, ex.headers(), VERSION);
  }

  void handleMetrics(Exchange ex) {
    HttpHeaders h = ex.headers();
    h.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    ex.send(HttpResponseStatus.OK, h, metrics.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
