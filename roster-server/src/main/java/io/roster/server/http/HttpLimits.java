package io.roster.server.http;

import java.time.Duration;

/**
 * Every bound the HTTP front end enforces, with an explicit policy for each. Immutable; {@link
 * #defaults()} matches etcd where etcd has a limit and picks a documented value where it has none.
 *
 * @param maxHeaderBytes request line and header block, each (Go's {@code MaxHeaderBytes}, 1 MiB;
 *     like Go, 4 KiB of slack is allowed on top). Over it: {@code 431 Request Header Fields Too
 *     Large} in Go's plain-text form, then the connection is closed.
 * @param maxFormBodyBytes an {@code application/x-www-form-urlencoded} PUT/POST body on {@code
 *     /v2/keys} (Go's 10 MiB form limit). Over it: error 210 {@code http: POST too large} with
 *     {@code Connection: close}; the body is never buffered beyond the limit, and a declared {@code
 *     Content-Length} over it is refused before reading.
 * @param maxJsonBodyBytes a JSON body on {@code /v2/members} (etcd has no limit; we answer 413).
 *     Bodies of every other request are read and discarded, never buffered.
 * @param headerTimeout a connection whose request line and headers are not complete this long after
 *     its first byte (or after it was accepted) is closed (slowloris).
 * @param bodyTimeout a request whose body is not complete this long after its headers is closed.
 * @param idleTimeout a keep-alive connection with no request in progress is closed after this long.
 *     Never applies while a request or a watch is in progress.
 * @param maxConnections open client connections; further connections are answered {@code 503
 *     Service Unavailable} (plain text) and closed at once. Watches count as connections.
 * @param watchBacklog events handed to a watch connection and not yet written to its socket; one
 *     more and the watch is dropped and its response ended (etcd's 100-event watcher buffer).
 * @param eventLoopThreads Netty worker threads serving all connections.
 */
public record HttpLimits(
    int maxHeaderBytes,
    int maxFormBodyBytes,
    int maxJsonBodyBytes,
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    int maxConnections,
    int watchBacklog,
    int eventLoopThreads) {

  /** Validates the bounds. */
  public HttpLimits {
    if (maxHeaderBytes < 1024 || maxFormBodyBytes < 0 || maxJsonBodyBytes < 0) {
      throw new IllegalArgumentException("size limits too small");
    }
    if (headerTimeout.isNegative()
        || headerTimeout.isZero()
        || bodyTimeout.isNegative()
        || bodyTimeout.isZero()
        || idleTimeout.isNegative()
        || idleTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (maxConnections < 1 || watchBacklog < 1 || eventLoopThreads < 1) {
      throw new IllegalArgumentException("counts must be positive");
    }
  }

  /**
   * 1 MiB headers, 10 MiB form bodies, 1 MiB JSON bodies, 30 s to send headers, 60 s to send a
   * body, 120 s idle, 65536 connections, 100 pending watch events, 2 event-loop threads.
   */
  public static HttpLimits defaults() {
    return new HttpLimits(
        1 << 20,
        10 << 20,
        1 << 20,
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofSeconds(120),
        65536,
        100,
        2);
  }

  /** A copy with other timeouts. */
  public HttpLimits withTimeouts(Duration header, Duration body, Duration idle) {
    return new HttpLimits(
        maxHeaderBytes,
        maxFormBodyBytes,
        maxJsonBodyBytes,
        header,
        body,
        idle,
        maxConnections,
        watchBacklog,
        eventLoopThreads);
  }

  /** A copy with another connection cap. */
  public HttpLimits withMaxConnections(int max) {
    return new HttpLimits(
        maxHeaderBytes,
        maxFormBodyBytes,
        maxJsonBodyBytes,
        headerTimeout,
        bodyTimeout,
        idleTimeout,
        max,
        watchBacklog,
        eventLoopThreads);
  }

  /** A copy with other body limits. */
  public HttpLimits withBodyLimits(int form, int json) {
    return new HttpLimits(
        maxHeaderBytes,
        form,
        json,
        headerTimeout,
        bodyTimeout,
        idleTimeout,
        maxConnections,
        watchBacklog,
        eventLoopThreads);
  }

  /** A copy with another watch backlog. */
  public HttpLimits withWatchBacklog(int events) {
    return new HttpLimits(
        maxHeaderBytes,
        maxFormBodyBytes,
        maxJsonBodyBytes,
        headerTimeout,
        bodyTimeout,
        idleTimeout,
        maxConnections,
        events,
        eventLoopThreads);
  }
}
