package io.roster.lb.sim;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.ResponseClassifier;
import io.roster.lb.Service;
import io.roster.lb.balancer.Balancer;
import io.roster.lb.balancer.Balancers;
import io.roster.lb.failure.EjectionReason;
import io.roster.lb.failure.Ejector;
import io.roster.lb.failure.FailureDetector;
import io.roster.lb.retry.RetryBudget;
import io.roster.lb.retry.RetryFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Runs one {@link Scenario} under one {@link SimPolicy} on a discrete-event queue: Poisson arrivals
 * at a fixed rate for a fixed duration, each sent through the real roster-lb stack (retry filter →
 * balanced service → simulated host), every reply recorded in an HdrHistogram. Runs until every
 * request has finished.
 *
 * <p>Deterministic: all randomness comes from one seed, split into independent streams for
 * arrivals, each host, the balancer, the ejector and retry jitter, so a policy change does not
 * perturb the arrival sequence. Not thread-safe; each {@link #run} is independent and uses no
 * threads. A 60 s run at 1000 requests per second takes well under a second.
 */
public final class Simulation {
  private final long seed;
  private final double requestsPerSecond;
  private final long durationNanos;
  private final long medianLatencyNanos;
  private final double sigma;
  private final Duration totalTimeout;

  private Simulation(Builder b) {
    this.seed = b.seed;
    this.requestsPerSecond = b.requestsPerSecond;
    this.durationNanos = b.duration.toNanos();
    this.medianLatencyNanos = b.medianLatency.toNanos();
    this.sigma = b.sigma;
    this.totalTimeout = b.totalTimeout;
  }

  /** Seed 1, 1000 requests/s for 60 s, median latency 10 ms, σ 0.5, total timeout 1 s. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Simulates {@code policy} on {@code scenario}. */
  public SimulationResult run(Scenario scenario, SimPolicy policy) {
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom arrivals = root.split();
    EventQueue events = new EventQueue();
    Map<Endpoint, Service<Long, Boolean>> hosts = new HashMap<>();
    List<Endpoint> endpoints = new ArrayList<>();
    TreeMap<Long, List<Endpoint>> joins = new TreeMap<>();
    for (int i = 0; i < scenario.hosts().size(); i++) {
      Scenario.Host h = scenario.hosts().get(i);
      Endpoint e = new Endpoint("10.0." + (i / 250) + "." + (i % 250 + 1), 8080, 1.0, h.zone());
      long joinAt = h.joinAt().toNanos();
      if (joinAt == 0) {
        endpoints.add(e);
      } else {
        joins.computeIfAbsent(joinAt, t -> new ArrayList<>()).add(e);
      }
      double median = medianLatencyNanos * h.latencyFactor();
      hosts.put(e, new SimulatedHost(events, root.split(), median, sigma, h));
    }
    FailureDetector detector =
        policy.ejection()
            ? Ejector.newBuilder().clock(events).random(root.split()).build()
            : FailureDetector.none();
    Balancer balancer =
        Balancers.newBuilder()
            .policy(policy.policy())
            .clock(events)
            .random(root.split())
            .failureDetector(detector)
            .localZone(policy.localZone())
            .build(endpoints);
    List<Endpoint> growing = new ArrayList<>(endpoints);
    joins.forEach(
        (at, added) ->
            events.schedule(
                at,
                () -> {
                  growing.addAll(added);
                  balancer.update(List.copyOf(growing));
                }));
    ResponseClassifier<Long, Boolean> classifier =
        (request, ok, failure) ->
            failure == null && Boolean.TRUE.equals(ok)
                ? ResponseClass.SUCCESS
                : ResponseClass.RETRYABLE_FAILURE;
    Service<Long, Boolean> service = Balancers.service(balancer, hosts::get, classifier);
    RetryFilter<Long, Boolean> retry =
        RetryFilter.newBuilder(classifier, events, totalTimeout)
            .budget(RetryBudget.newBuilder().clock(events).build())
            .clock(events)
            .random(root.split())
            .build();
    if (policy.retries()) {
      service = retry.andThen(service);
    }
    Histogram latency = new Histogram(3_600_000_000L, 3);
    AtomicLong requests = new AtomicLong();
    AtomicLong successes = new AtomicLong();
    Service<Long, Boolean> client = service;
    double meanGapNanos = 1e9 / requestsPerSecond;
    Runnable[] arrive = new Runnable[1];
    arrive[0] =
        () -> {
          long start = events.getAsLong();
          long id = requests.incrementAndGet();
          client
              .apply(id)
              .whenComplete(
                  (ok, failure) -> {
                    latency.recordValue(Math.max(0, (events.getAsLong() - start) / 1000));
                    if (failure == null && Boolean.TRUE.equals(ok)) {
                      successes.incrementAndGet();
                    }
                  });
          long gap = (long) (-Math.log(1 - arrivals.nextDouble()) * meanGapNanos);
          if (start + gap < durationNanos) {
            events.schedule(gap, arrive[0]);
          }
        };
    events.schedule(0, arrive[0]);
    events.runAll();
    return new SimulationResult(
        scenario.name(),
        policy.name(),
        requests.get(),
        successes.get(),
        latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(99),
        latency.getValueAtPercentile(99.9),
        retry.retries(),
        detector instanceof Ejector ej ? totalEjections(ej) : 0);
  }

  private static long totalEjections(Ejector ejector) {
    long n = 0;
    for (EjectionReason r : EjectionReason.values()) {
      n += ejector.ejections(r);
    }
    return n;
  }

  /** Configures a {@link Simulation}. Not thread-safe. */
  public static final class Builder {
    private long seed = 1;
    private double requestsPerSecond = 1000;
    private Duration duration = Duration.ofSeconds(60);
    private Duration medianLatency = Duration.ofMillis(10);
    private double sigma = 0.5;
    private Duration totalTimeout = Duration.ofSeconds(1);

    private Builder() {}

    /** The seed every random stream derives from. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Mean arrival rate (Poisson).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder requestsPerSecond(double rate) {
      if (!(rate > 0)) {
        throw new IllegalArgumentException("rate must be positive");
      }
      this.requestsPerSecond = rate;
      return this;
    }

    /**
     * How long requests keep arriving.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder duration(Duration duration) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("duration must be positive");
      }
      this.duration = duration;
      return this;
    }

    /**
     * A healthy host's median latency and the lognormal spread σ.
     *
     * @throws IllegalArgumentException if the median is not positive or σ negative
     */
    public Builder latency(Duration median, double sigma) {
      if (median.isNegative() || median.isZero() || !(sigma >= 0)) {
        throw new IllegalArgumentException("need median > 0 and sigma ≥ 0");
      }
      this.medianLatency = median;
      this.sigma = sigma;
      return this;
    }

    /**
     * The retry filter's total timeout per request.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder totalTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.totalTimeout = timeout;
      return this;
    }

    /** The simulation. */
    public Simulation build() {
      return new Simulation(this);
    }
  }
}
