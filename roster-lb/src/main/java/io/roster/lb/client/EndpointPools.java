package io.roster.lb.client;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.lb.Endpoint;
import io.roster.lb.Service;
import io.roster.lb.balancer.Balancer;
import io.roster.lb.http.HttpEndpoint;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpResponse;
import io.roster.lb.http.HttpTransport;
import io.roster.lb.http.RosterHeaders;
import io.roster.lb.pool.PoolClosedException;
import io.roster.lb.pool.PoolListener;
import io.roster.lb.pool.PoolSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The endpoints of one client, each with its {@link HttpEndpoint} (pool) and the service that sends
 * an {@link Attempt} there — the bottom of the stack. {@link #update} applies a new endpoint list
 * in an order that never strands a request: pools for new endpoints first (warming up at once),
 * then the balancer, then the removed endpoints' pools are closed gracefully (requests in flight
 * there finish; a request that picked a removed endpoint just before the swap fails with {@link
 * PoolClosedException}, which is requeued elsewhere).
 *
 * <p>Each attempt carries {@link RosterHeaders#ATTEMPT} and {@link RosterHeaders#TIMEOUT_MS}, and
 * runs under min(per-attempt timeout, time left before the call's deadline). Thread-safe.
 */
final class EndpointPools implements AutoCloseable {
  private final HttpTransport transport;
  private final PoolSettings settings;
  private final LongSupplier clock;
  private final Balancer balancer;
  private final long attemptTimeoutNanos;
  private final @Nullable ClientMetrics metrics;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock")
  private boolean closed;

  EndpointPools(
      HttpTransport transport,
      PoolSettings settings,
      LongSupplier clock,
      Balancer balancer,
      long attemptTimeoutNanos,
      @Nullable ClientMetrics metrics) {
    this.transport = transport;
    this.settings = settings;
    this.clock = clock;
    this.balancer = balancer;
    this.attemptTimeoutNanos = attemptTimeoutNanos;
    this.metrics = metrics;
  }

  void update(List<Endpoint> endpoints) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Set<String> keep = new HashSet<>();
      for (Endpoint e : endpoints) {
        keep.add(e.address());
        entries.computeIfAbsent(e.address(), a -> open(e));
      }
      balancer.update(endpoints);
      for (String address : List.copyOf(entries.keySet())) {
        if (!keep.contains(address)) {
          Entry gone = entries.remove(address);
          if (gone != null) {
            gone.endpoint.close();
            if (metrics != null) {
              metrics.endpointRemoved(address);
            }
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The service for {@code endpoint}; one that fails with {@link PoolClosedException} if gone. */
  Service<Attempt, HttpResponse> service(Endpoint endpoint) {
    Entry e = entries.get(endpoint.address());
    if (e == null) {
      return attempt -> CompletableFuture.failedFuture(new PoolClosedException(endpoint.address()));
    }
    return e.service;
  }

  @Nullable HttpEndpoint endpoint(String address) {
    Entry e = entries.get(address);
    return e == null ? null : e.endpoint;
  }

  /** Closes every pool gracefully; later updates are ignored. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      for (Entry e : entries.values()) {
        e.endpoint.close();
      }
    } finally {
      lock.unlock();
    }
  }

  private Entry open(Endpoint e) {
    PoolListener listener = metrics == null ? PoolListener.NONE : metrics.poolListener(e.address());
    HttpEndpoint endpoint = transport.endpoint(e, settings, listener, clock);
    if (metrics != null) {
      metrics.endpointAdded(endpoint);
    }
    return new Entry(endpoint, attempt -> send(endpoint, attempt));
  }

  private CompletionStage<HttpResponse> send(HttpEndpoint endpoint, Attempt attempt) {
    long left = attempt.call.deadline - clock.getAsLong();
    if (left <= 0 || attempt.cancellation.cancelled()) {
      return CompletableFuture.failedFuture(new CancellationException("call already over"));
    }
    HttpRequest request =
        attempt.call.request.withHeaders(
            Map.of(
                RosterHeaders.ATTEMPT,
                Integer.toString(attempt.number),
                RosterHeaders.TIMEOUT_MS,
                Long.toString((left + 999_999) / 1_000_000)));
    if (metrics != null) {
      metrics.picked(endpoint.endpoint().address());
    }
    CompletableFuture<HttpResponse> f =
        endpoint.send(request, Duration.ofNanos(Math.min(attemptTimeoutNanos, left)));
    attempt.cancellation.onCancel(() -> f.cancel(false));
    return f;
  }

  private static final class Entry {
    final HttpEndpoint endpoint;
    final Service<Attempt, HttpResponse> service;

    Entry(HttpEndpoint endpoint, Service<Attempt, HttpResponse> service) {
      this.endpoint = endpoint;
      this.service = service;
    }
  }
}
