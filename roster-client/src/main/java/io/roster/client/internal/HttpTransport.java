package io.roster.client.internal;

import io.roster.client.OutcomeUnknownException;
import io.roster.client.RosterTransportException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * Each attempt is bounded by the request timeout from sending to the last byte of the answer (the
 * JDK client's own timeout stops at the headers, so a server that sends headers and then stalls
 * would otherwise hang the call), and every answer by a size limit; one request makes at most one
 * attempt per endpoint. Thread-safe.
 */
public final class HttpTransport {
  private static final String FORM = "application/x-www-form-urlencoded";

  /** The default bound on one answer's body: larger answers are treated as not etcd. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;

  private static final ScheduledThreadPoolExecutor DEADLINES = deadlineTimer();

  private final Endpoints endpoints;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final long maxResponseBytes;

  public HttpTransport(Endpoints endpoints, HttpClient http, Duration requestTimeout) {
    this(endpoints, http, requestTimeout, DEFAULT_MAX_RESPONSE_BYTES);
  }

  public HttpTransport(
      Endpoints endpoints, HttpClient http, Duration requestTimeout, long maxResponseBytes) {
    if (maxResponseBytes < 1) {
      throw new IllegalArgumentException("maxResponseBytes must be positive: " + maxResponseBytes);
    }
    this.endpoints = endpoints;
    this.http = http;
    this.requestTimeout = requestTimeout;
    this.maxResponseBytes = maxResponseBytes;
  }

  private static ScheduledThreadPoolExecutor deadlineTimer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "roster-client-deadlines");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
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
    return send(method, pathAndQuery, form, FORM, write);
  }

  /**
   * Like {@link #send(String, String, String, boolean)} with a body of another content type (the
   * members API takes JSON).
   */
  public CompletableFuture<RawResponse> send(
      String method,
      String pathAndQuery,
      @Nullable String body,
      String contentType,
      boolean write) {
    return attempt(method, pathAndQuery, body, contentType, write, endpoints.inTryOrder(), 0, null);
  }

  /**
   * One attempt at {@code endpoint} without failover, bounded by {@code timeout} until the headers
   * arrive. Used by watches, which decide on their own what to do with a failure.
   */
  public CompletableFuture<HttpResponse<String>> sendOnce(
      URI endpoint, String pathAndQuery, Duration timeout) {
    return sendOnce(endpoint, pathAndQuery, timeout, info -> {});
  }

  /**
   * Like {@link #sendOnce(URI, String, Duration)}, telling {@code onHeaders} (on an HTTP client
   * thread; must not block) as soon as the status and headers have arrived, before the body. The
   * body is bounded like every answer's.
   */
  public CompletableFuture<HttpResponse<String>> sendOnce(
      URI endpoint,
      String pathAndQuery,
      Duration timeout,
      Consumer<HttpResponse.ResponseInfo> onHeaders) {
    return http.sendAsync(
        request(endpoint, "GET", pathAndQuery, null, FORM, timeout),
        info -> {
          onHeaders.accept(info);
          return new BoundedBody(maxResponseBytes);
        });
  }

  /**
   * {@code f}, failed with an {@link HttpTimeoutException} if it is not complete within {@code
   * timeout}; {@code f} is then cancelled, which aborts its exchange.
   */
  public static <T> CompletableFuture<T> within(
      CompletableFuture<T> f, Duration timeout, String what) {
    CompletableFuture<T> out = new CompletableFuture<>();
    ScheduledFuture<?> timer =
        DEADLINES.schedule(
            () -> {
              if (out.completeExceptionally(
                  new HttpTimeoutException(what + ": no complete answer within " + timeout))) {
                f.cancel(true);
              }
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    f.whenComplete(
        (v, e) -> {
          timer.cancel(false);
          if (e == null) {
            out.complete(v);
          } else {
            out.completeExceptionally(e);
          }
        });
    return out;
  }

  private CompletableFuture<RawResponse> attempt(
      String method,
      String pathAndQuery,
      @Nullable String form,
      String contentType,
      boolean write,
      List<URI> order,
      int i,
      @Nullable Throwable previous) {
    if (i >= order.size()) {
      return CompletableFuture.failedFuture(
          new RosterTransportException(
              "no endpoint answered "
                  + method
                  + " "
                  + pathAndQuery
                  + " (tried "
                  + order
                  + (previous == null ? "" : "; last: " + previous.getMessage())
                  + ")",
              previous == null ? new IllegalStateException("no endpoints") : previous));
    }
    URI endpoint = order.get(i);
    HttpRequest req = request(endpoint, method, pathAndQuery, form, contentType, requestTimeout);
    return within(
            http.sendAsync(req, info -> new BoundedBody(maxResponseBytes)),
            requestTimeout,
            method + " " + endpoint)
        .handle(
            (resp, err) -> {
              Throwable t;
              if (err == null) {
                RawResponse raw =
                    new RawResponse(endpoint, resp.statusCode(), resp.headers(), resp.body());
                if (!pathAndQuery.startsWith("/v2/keys") || looksLikeEtcd(raw)) {
                  return CompletableFuture.completedFuture(raw);
                }
                t = new NotEtcdException(raw);
              } else {
                t = unwrap(err);
              }
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
              return attempt(method, pathAndQuery, form, contentType, write, order, i + 1, t);
            })
        .thenCompose(f -> f);
  }

  /**
   * Whether a keys-API answer comes from something that speaks etcd v2: etcd and Roster put {@code
   * X-Etcd-Index} on every keys answer, errors included, and every error body carries {@code
   * errorCode}. Anything else (an HTML page, a proxy's error, garbage) is a failure of the
   * endpoint, so a read moves on to the next one.
   */
  static boolean looksLikeEtcd(RawResponse r) {
    return r.headers().firstValue("X-Etcd-Index").isPresent()
        || (r.body().stripLeading().startsWith("{") && r.body().contains("\"errorCode\""));
  }

  /** An endpoint answered a keys request with something that is not the etcd v2 API. */
  static final class NotEtcdException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    NotEtcdException(RawResponse r) {
      super(
          r.endpoint()
              + " answered HTTP "
              + r.status()
              + " that is not an etcd v2 answer: "
              + (r.body().length() > 200 ? r.body().substring(0, 200) + "…" : r.body()));
    }
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
      URI endpoint,
      String method,
      String pathAndQuery,
      @Nullable String form,
      String contentType,
      Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery)).timeout(timeout);
    if (form != null) {
      b.header("Content-Type", contentType);
      b.method(method, HttpRequest.BodyPublishers.ofString(form));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return b.build();
  }
}
