package io.roster.lb.http;

import io.roster.lb.Endpoint;
import io.roster.lb.Scheduler;
import io.roster.lb.pool.ConnectionPool;
import io.roster.lb.pool.Lease;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint on an {@link HttpTransport}: its connection pool, and {@link #send}, which runs one
 * attempt on a pooled connection. Created by {@link HttpTransport#endpoint}.
 *
 * <p>Thread-safe and non-blocking.
 */
public final class HttpEndpoint implements AutoCloseable {
  private final Endpoint endpoint;
  private final ConnectionPool<HttpConnection> pool;
  private final Scheduler scheduler;
  private final AtomicInteger inFlight = new AtomicInteger();

  HttpEndpoint(Endpoint endpoint, ConnectionPool<HttpConnection> pool, Scheduler scheduler) {
    this.endpoint = endpoint;
    this.pool = pool;
    this.scheduler = scheduler;
  }

  /** The endpoint. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** Its connection pool, for statistics. */
  public ConnectionPool<?> pool() {
    return pool;
  }

  /** Attempts started here and not yet ended. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Sends {@code request} once: takes a pooled connection, writes the request, and completes with
   * the response. Everything, waiting for a connection included, must finish within {@code
   * timeout}.
   *
   * @return a future that completes with the response (any status), or fails with a {@link
   *     io.roster.lb.NotSentException} (pool overflow, acquire timeout, connect or write failure:
   *     nothing was sent), {@link ConnectionLostException} or {@link AttemptTimeoutException} (the
   *     request may have been processed). Cancelling the future gives up the attempt: a pending
   *     acquire is withdrawn, a connection in use is closed.
   */
  public CompletableFuture<HttpResponse> send(HttpRequest request, Duration timeout) {
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    inFlight.incrementAndGet();
    AtomicReference<@Nullable Lease<HttpConnection>> leased = new AtomicReference<>();
    CompletableFuture<Lease<HttpConnection>> acquired = pool.acquire();
    var unusedCleanup =
        result.whenComplete(
            (r, e) -> {
              inFlight.decrementAndGet();
              if (e != null) {
                acquired.cancel(false);
                Lease<HttpConnection> l = leased.getAndSet(null);
                if (l != null) {
                  l.discard();
                }
              }
            });
    scheduler.schedule(
        timeout.toNanos(),
        () -> {
          if (!result.isDone()) {
            result.completeExceptionally(new AttemptTimeoutException(address(), timeout));
          }
        });
    var unusedSend =
        acquired.whenComplete(
            (lease, failure) -> {
              if (failure != null || lease == null) {
                result.completeExceptionally(unwrap(failure));
                return;
              }
              leased.set(lease);
              if (result.isDone()) {
                if (leased.compareAndSet(lease, null)) {
                  lease.release();
                }
                return;
              }
              HttpConnection c = lease.connection();
              var unused =
                  c.send(request)
                      .whenComplete(
                          (response, error) -> {
                            Lease<HttpConnection> l = leased.getAndSet(null);
                            if (l != null) {
                              if (error == null && c.reusable()) {
                                l.release();
                              } else {
                                l.discard();
                              }
                            }
                            if (error != null || response == null) {
                              result.completeExceptionally(unwrap(error));
                            } else {
                              result.complete(response);
                            }
                          });
            });
    return result;
  }

  /** Closes the pool gracefully: idle connections now, busy ones when their attempt ends. */
  @Override
  public void close() {
    pool.close();
  }

  private String address() {
    return endpoint.address();
  }

  private static Throwable unwrap(@Nullable Throwable t) {
    if (t == null) {
      return new IllegalStateException("no result");
    }
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
