package io.roster.lb.balancer;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClassifier;
import io.roster.lb.Service;
import io.roster.lb.failure.FailureDetector;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Builds balancers: the one place where a load metric and a pick strategy are combined.
 *
 * <table>
 *   <caption>Policies</caption>
 *   <tr><th>{@link Policy}</th><th>load metric</th><th>pick strategy</th></tr>
 *   <tr><td>ROUND_ROBIN</td><td>in flight (observed only)</td><td>shared counter</td></tr>
 *   <tr><td>WEIGHTED_RANDOM</td><td>in flight (observed only)</td><td>alias method</td></tr>
 *   <tr><td>P2C_LEAST_LOADED</td><td>(in flight + 1) / weight</td><td>power of two choices</td></tr>
 *   <tr><td>P2C_PEAK_EWMA (default)</td><td>peak EWMA × (in flight + 1) / weight</td>
 *       <td>power of two choices</td></tr>
 * </table>
 *
 * <p>Defaults ({@code client-resilience.md} §9.1): decay time 10 s; a new endpoint starts at the
 * median of its peers' latency, or 30 ms when none is known; slow start off; panic when more than
 * half the endpoints are ejected; up to 4 re-picks when a pick lands on an unhealthy endpoint.
 *
 * <p>Peak EWMA assumes latency reflects load; it breaks for long polling and streams, where {@code
 * P2C_LEAST_LOADED} is the better choice (Finagle's caveat).
 */
public final class Balancers {
  private Balancers() {}

  /** A builder with the defaults above, the system nano clock and thread-local randomness. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * A service that balances each request over {@code balancer}'s endpoints, sending it through the
   * per-endpoint service {@code endpoints} returns (which should be cached by the caller) and
   * reporting each outcome, as classified by {@code classifier}, back to the balancer. Fails with
   * {@link NoEndpointsException} when the balancer is empty.
   */
  public static <Req, Rep> Service<Req, Rep> service(
      Balancer balancer,
      Function<Endpoint, Service<Req, Rep>> endpoints,
      ResponseClassifier<Req, Rep> classifier) {
    return new BalancedService<>(balancer, endpoints, classifier, null);
  }

  /**
   * Like {@link #service(Balancer, Function, ResponseClassifier)}, but each request names the
   * addresses its earlier attempts went to: {@code tried} returns a thread-safe mutable set per
   * logical request, the balancer avoids its members (see {@link Balancer#pick(Set)}), and the
   * address picked is added to it. Retries and hedges of one request share the set, so each lands
   * on an endpoint not tried before whenever there is one.
   */
  public static <Req, Rep> Service<Req, Rep> service(
      Balancer balancer,
      Function<Endpoint, Service<Req, Rep>> endpoints,
      ResponseClassifier<Req, Rep> classifier,
      Function<Req, Set<String>> tried) {
    return new BalancedService<>(balancer, endpoints, classifier, tried);
  }

  /**
   * Configures one balancer. Not thread-safe; setters throw {@link IllegalArgumentException} on bad
   * values.
   */
  public static final class Builder {
    private Policy policy = Policy.P2C_PEAK_EWMA;
    private LongSupplier clock = System::nanoTime;
    private Supplier<RandomGenerator> random = ThreadLocalRandom::current;
    private FailureDetector detector = FailureDetector.none();
    private Duration decayTime = Duration.ofSeconds(10);
    private Duration defaultRtt = Duration.ofMillis(30);
    private SlowStart slowStart = SlowStart.OFF;
    private double panicThreshold = 0.5;
    private int maxEffort = 4;
    private @Nullable String localZone;

    private Builder() {}

    /** The policy; default {@link Policy#P2C_PEAK_EWMA}. */
    public Builder policy(Policy policy) {
      this.policy = policy;
      return this;
    }

    /** Nanosecond clock; default {@link System#nanoTime()}. */
    public Builder clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /**
     * A fixed random source, for tests and simulation; it must be thread-safe if the balancer is
     * used from several threads. By default each thread uses its own {@link ThreadLocalRandom}.
     */
    public Builder random(RandomGenerator random) {
      this.random = () -> random;
      return this;
    }

    /** Where endpoint health comes from; default {@link FailureDetector#none()}. */
    public Builder failureDetector(FailureDetector detector) {
      this.detector = detector;
      return this;
    }

    /** Peak-EWMA decay time constant τ; default 10 s. */
    public Builder decayTime(Duration decayTime) {
      require(!decayTime.isNegative() && !decayTime.isZero(), "decayTime must be positive");
      this.decayTime = decayTime;
      return this;
    }

    /** The latency assumed for new endpoints when no peer has one; default 30 ms. */
    public Builder defaultRtt(Duration defaultRtt) {
      require(!defaultRtt.isNegative(), "defaultRtt must be ≥ 0");
      this.defaultRtt = defaultRtt;
      return this;
    }

    /**
     * Ramps a newly added endpoint's weight linearly from {@code minShare} to 1 over {@code window}
     * (P2C policies only); {@link Duration#ZERO} turns it off (the default).
     */
    public Builder slowStart(Duration window, double minShare) {
      require(!window.isNegative(), "window must be ≥ 0");
      require(minShare > 0 && minShare <= 1, "minShare must be in (0, 1]");
      this.slowStart = new SlowStart(window.toNanos(), minShare);
      return this;
    }

    /**
     * Below this share of healthy endpoints the balancer ignores health; default 0.5, 0 never
     * panics.
     */
    public Builder panicThreshold(double threshold) {
      require(threshold >= 0 && threshold <= 1, "threshold must be in [0, 1]");
      this.panicThreshold = threshold;
      return this;
    }

    /** Re-picks when a pick lands on an unhealthy endpoint; default 4. */
    public Builder maxEffort(int maxEffort) {
      require(maxEffort >= 0, "maxEffort must be ≥ 0");
      this.maxEffort = maxEffort;
      return this;
    }

    /**
     * The client's own zone: prefer endpoints whose {@link Endpoint#zone()} equals it, and fail
     * over to the others while the local zone is unhealthy (fewer than half its endpoints open, or
     * fewer than half of roughly its last 20 requests succeeding), for at least 5 s at a time.
     * Default null: no zone preference.
     */
    public Builder localZone(@Nullable String zone) {
      this.localZone = zone;
      return this;
    }

    /** An empty balancer; feed it with {@link Balancer#update}. */
    public Balancer build() {
      String zone = localZone;
      if (zone == null) {
        return buildFlat();
      }
      return new ZoneAwareBalancer(zone, buildFlat(), buildFlat(), clock);
    }

    private Balancer buildFlat() {
      Supplier<RandomGenerator> rng = random;
      double tau = decayTime.toNanos();
      NodeBalancer.MetricFactory metrics =
          policy == Policy.P2C_PEAK_EWMA
              ? (now, seed) -> new PeakEwma(tau, seed, now)
              : (now, seed) -> new LeastLoaded();
      Function<Node[], Distributor> distributors;
      switch (policy) {
        case ROUND_ROBIN:
          distributors = nodes -> new RoundRobin(nodes, rng.get().nextInt(nodes.length));
          break;
        case WEIGHTED_RANDOM:
          distributors = nodes -> new WeightedRandom(nodes, rng);
          break;
        default:
          distributors = nodes -> new P2c(nodes, rng);
      }
      return new NodeBalancer(
          policy,
          clock,
          detector,
          metrics,
          distributors,
          slowStart,
          defaultRtt.toNanos(),
          panicThreshold,
          maxEffort);
    }

    /** A balancer holding {@code endpoints}. */
    public Balancer build(List<Endpoint> endpoints) {
      Balancer balancer = build();
      balancer.update(endpoints);
      return balancer;
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
