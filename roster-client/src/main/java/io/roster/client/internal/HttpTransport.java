package io.roster.client.internal;

import io.roster.client.OutcomeUnknownException;
import io.roster.client.RosterTransportException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Sends one keys-API request to the pinned endpoint and fails over to the next on connection
 * failure.
 *
 * <p>The retry rule is about what the server may have seen, not about the HTTP method:
 *
 * <ul>
 *   <li>The connection could not be established (refused, connect timeout): the request never left
 *       the client, so it goes to the next endpoint, whatever it is.
 *   <li>The request was sent and no usable answer came (reset, timeout, garbage): a read is sent to
 *       the next endpoint; a write is not resent and fails with {@link OutcomeUnknownException}. A
 *       conditional write is no exception: a compareAndSwap that was applied and is sent again
 *       fails with 101, hiding the success; only the caller can tell.
 * </ul>
 *
 * Each attempt is bounded by the request timeout; one request makes at most one attempt per
 * endpoint. Thread-safe.
 */
public final class HttpTransport {
  private final Endpoints endpoints;
  private final HttpClient http;
  private final Duration requestTimeout;

  public HttpTransport(Endpoints endpoints, HttpClient http, Duration requestTimeout) {
    this.endpoints = endpoints;
    this.http = http;
    this.requestTimeout = requestTimeout;
  }

  /** The endpoints this transport uses. */
  public Endpoints endpoints() {
    return endpoints;
  }

  /**
   * Sends {@code method pathAndQuery} with an optional form body. The future fails with {@link
   * RosterTransportException} or {@link OutcomeUnknownException}; HTTP errors are answers, not
   * failures.
   *
   * @param write whether the request changes state (decides what a lost answer means)
   */
  public CompletableFuture<RawResponse> send(
      String method, String pathAndQuery, @Nullable String form, boolean write) {
    return attempt(method, pathAndQuery, form, write, endpoints.inTryOrder(), 0, null);
  }

  /**
   * One attempt at {@code endpoint} without failover, bounded by {@code timeout} until the headers
   * arrive. Used by watches, which decide on their own what to do with a failure.
   */
  public CompletableFuture<HttpResponse<String>> sendOnce(
      URI endpoint, String pathAndQuery, Duration timeout) {
    return http.sendAsync(
        request(endpoint, "GET", pathAndQuery, null, timeout),
        HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<RawResponse> attempt(
      String method,
      String pathAndQuery,
      @Nullable String form,
      boolean write,
      List<URI> order,
      int i,
      @Nullable Throwable previous) {
    if (i >= order.size()) {
      return CompletableFuture.failedFuture(
          new RosterTransportException(
              "no endpoint answered " + method + " " + pathAndQuery + " (tried " + order + ")",
              previous == null ? new IllegalStateException("no endpoints") : previous));
    }
    URI endpoint = order.get(i);
    HttpRequest req = request(endpoint, method, pathAndQuery, form, requestTimeout);
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
        .handle(
            (resp, err) -> {
              if (err == null) {
                return CompletableFuture.completedFuture(
                    new RawResponse(endpoint, resp.statusCode(), resp.headers(), resp.body()));
              }
              Throwable t = unwrap(err);
              endpoints.failed(endpoint);
              if (write && !neverSent(t)) {
                return CompletableFuture.<RawResponse>failedFuture(
                    new OutcomeUnknownException(
                        method
                            + " "
                            + pathAndQuery
                            + " was sent to "
                            + endpoint
                            + " but no answer came back ("
                            + t
                            + "); it may have been applied",
                        t));
              }
              return attempt(method, pathAndQuery, form, write, order, i + 1, t);
            })
        .thenCompose(f -> f);
  }

  /** Whether {@code t} proves the request never reached a server. */
  public static boolean neverSent(Throwable t) {
    return t instanceof ConnectException || t instanceof HttpConnectTimeoutException;
  }

  /** The real failure inside the wrappers futures add. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static HttpRequest request(
      URI endpoint, String method, String pathAndQuery, @Nullable String form, Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery)).timeout(timeout);
    if (form != null) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
      b.method(method, HttpRequest.BodyPublishers.ofString(form));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return b.build();
  }
}
