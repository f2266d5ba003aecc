package io.roster.lb.pool;

import java.time.Duration;

/**
 * The limits of one endpoint's {@link ConnectionPool}. Immutable; the {@code with…} methods return
 * changed copies and throw {@link IllegalArgumentException} on bad values. Defaults follow {@code
 * client-resilience.md} §9.5:
 *
 * @param maxConnections connections open or opening at once, at least 1 (default 50)
 * @param maxPending requests waiting for a connection when all are in use, at least 0 (default
 *     256); one more fails at once with {@link PoolOverflowException}
 * @param acquireTimeout how long a request may wait for a connection, including opening one
 *     (default 1 s); then {@link AcquireTimeoutException}
 * @param idleTimeout an idle connection older than this is closed (default 60 s)
 * @param maxLifetime a connection is closed, at its next release or sweep, once it is this old give
 *     or take {@code lifetimeJitter} (default 5 min), so that load spreads onto endpoints that
 *     joined later
 * @param lifetimeJitter the share by which each connection's lifetime varies, uniformly, in [0, 1)
 *     (default 0.2), so connections opened together do not all close together
 * @param warmUp connections opened eagerly when the pool is created (default 2), so that the first
 *     requests to a new endpoint do not pay for connecting
 */
public record PoolSettings(
    int maxConnections,
    int maxPending,
    Duration acquireTimeout,
    Duration idleTimeout,
    Duration maxLifetime,
    double lifetimeJitter,
    int warmUp) {

  /** Validates every limit. */
  public PoolSettings {
    require(maxConnections >= 1, "maxConnections must be ≥ 1");
    require(maxPending >= 0, "maxPending must be ≥ 0");
    require(positive(acquireTimeout), "acquireTimeout must be positive");
    require(positive(idleTimeout), "idleTimeout must be positive");
    require(positive(maxLifetime), "maxLifetime must be positive");
    require(lifetimeJitter >= 0 && lifetimeJitter < 1, "lifetimeJitter must be in [0, 1)");
    require(warmUp >= 0, "warmUp must be ≥ 0");
  }

  /** The defaults listed above. */
  public static PoolSettings defaults() {
    return new PoolSettings(
        50, 256, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5), 0.2, 2);
  }

  /** With at most {@code n} connections. */
  public PoolSettings withMaxConnections(int n) {
    return new PoolSettings(
        n, maxPending, acquireTimeout, idleTimeout, maxLifetime, lifetimeJitter, warmUp);
  }

  /** With at most {@code n} waiting requests. */
  public PoolSettings withMaxPending(int n) {
    return new PoolSettings(
        maxConnections, n, acquireTimeout, idleTimeout, maxLifetime, lifetimeJitter, warmUp);
  }

  /** With this acquire timeout. */
  public PoolSettings withAcquireTimeout(Duration d) {
    return new PoolSettings(
        maxConnections, maxPending, d, idleTimeout, maxLifetime, lifetimeJitter, warmUp);
  }

  /** With this idle timeout. */
  public PoolSettings withIdleTimeout(Duration d) {
    return new PoolSettings(
        maxConnections, maxPending, acquireTimeout, d, maxLifetime, lifetimeJitter, warmUp);
  }

  /** With this lifetime and jitter. */
  public PoolSettings withMaxLifetime(Duration d, double jitter) {
    return new PoolSettings(
        maxConnections, maxPending, acquireTimeout, idleTimeout, d, jitter, warmUp);
  }

  /** With {@code n} connections opened eagerly. */
  public PoolSettings withWarmUp(int n) {
    return new PoolSettings(
        maxConnections, maxPending, acquireTimeout, idleTimeout, maxLifetime, lifetimeJitter, n);
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
