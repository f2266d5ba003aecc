package io.roster.lb.failure;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.Scheduler;
import io.roster.lb.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Active health checking on top of a passive {@link FailureDetector} ({@code client-resilience.md}
 * §9.2, after Envoy's health checker): every tracked endpoint is probed every {@code interval} ±
 * 10% (jittered so that clients do not probe in step); after {@code unhealthyThreshold} failed
 * probes in a row it is marked unhealthy — {@link Status#BUSY}, avoided by the balancer like an
 * ejected endpoint — and after {@code healthyThreshold} successful probes in a row it is healthy
 * again. An endpoint is healthy until its probes say otherwise, so a new endpoint takes traffic at
 * once. The passive detector keeps working underneath: an endpoint is OPEN only if both agree.
 * Defaults: 10 s, 2 failures, 2 successes.
 *
 * <p>Useful for small clusters and for endpoints that get little traffic, where passive detection
 * has too few requests to judge. What a probe is (an HTTP GET of a health path, say) is the {@link
 * Prober}'s business; it must complete its stage in bounded time (time out).
 *
 * <p>Thread-safe. Probes run on the scheduler and stop when an endpoint is untracked.
 */
public final class ActiveHealthCheck implements FailureDetector {
  private final FailureDetector passive;
  private final Prober prober;
  private final Scheduler scheduler;
  private final long intervalNanos;
  private final int unhealthyThreshold;
  private final int healthyThreshold;
  private final Supplier<RandomGenerator> random;
  private final ConcurrentHashMap<Checked, Boolean> tracked = new ConcurrentHashMap<>();

  /** Probes one endpoint; the stage completes with true for healthy. */
  @FunctionalInterface
  public interface Prober {
    /** Starts one probe; never blocks; a failed stage counts as unhealthy. */
    CompletionStage<Boolean> probe(Endpoint endpoint);
  }

  private ActiveHealthCheck(Builder b) {
    this.passive = b.passive;
    this.prober = b.prober;
    this.scheduler = b.scheduler;
    this.intervalNanos = b.interval.toNanos();
    this.unhealthyThreshold = b.unhealthyThreshold;
    this.healthyThreshold = b.healthyThreshold;
    this.random = b.random;
  }

  /** A builder over {@code passive}, probing with {@code prober} on {@code scheduler}. */
  public static Builder newBuilder(FailureDetector passive, Prober prober, Scheduler scheduler) {
    return new Builder(passive, prober, scheduler);
  }

  @Override
  public EndpointHealth track(Endpoint endpoint) {
    Checked c = new Checked(endpoint, passive.track(endpoint));
    tracked.put(c, Boolean.TRUE);
    scheduler.schedule((long) (random.get().nextDouble() * intervalNanos), () -> probe(c));
    return c;
  }

  @Override
  public void untrack(EndpointHealth health) {
    if (health instanceof Checked c && tracked.remove(c) != null) {
      c.detached = true;
      passive.untrack(c.inner);
    }
  }

  /** The larger of the passive detector's ejected share and the share marked unhealthy here. */
  @Override
  public double ejectedShare() {
    int n = tracked.size();
    long unhealthy = tracked.keySet().stream().filter(c -> c.unhealthy).count();
    return Math.max(passive.ejectedShare(), n == 0 ? 0 : (double) unhealthy / n);
  }

  /** Endpoints currently marked unhealthy by their probes. */
  public int unhealthyCount() {
    return (int) tracked.keySet().stream().filter(c -> c.unhealthy).count();
  }

  private void probe(Checked c) {
    if (c.detached) {
      return;
    }
    CompletionStage<Boolean> stage;
    try {
      stage = prober.probe(c.endpoint);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    var unused =
        stage.whenComplete(
            (ok, failure) -> {
              c.record(failure == null && Boolean.TRUE.equals(ok));
              double jitter = 0.9 + 0.2 * random.get().nextDouble();
              scheduler.schedule((long) (intervalNanos * jitter), () -> probe(c));
            });
  }

  private final class Checked implements EndpointHealth {
    final Endpoint endpoint;
    final EndpointHealth inner;
    volatile boolean unhealthy;
    volatile boolean detached;
    private int successes;
    private int failures;

    Checked(Endpoint endpoint, EndpointHealth inner) {
      this.endpoint = endpoint;
      this.inner = inner;
    }

    synchronized void record(boolean ok) {
      if (ok) {
        failures = 0;
        successes++;
        if (unhealthy && successes >= healthyThreshold) {
          unhealthy = false;
        }
      } else {
        successes = 0;
        failures++;
        if (!unhealthy && failures >= unhealthyThreshold) {
          unhealthy = true;
        }
      }
    }

    @Override
    public Status status() {
      return unhealthy ? Status.worst(Status.BUSY, inner.status()) : inner.status();
    }

    @Override
    public void onStart() {
      inner.onStart();
    }

    @Override
    public void onResponse(long rttNanos, ResponseClass outcome) {
      inner.onResponse(rttNanos, outcome);
    }

    @Override
    public void onAbandon() {
      inner.onAbandon();
    }
  }

  /** Configures an {@link ActiveHealthCheck}. Not thread-safe. */
  public static final class Builder {
    private final FailureDetector passive;
    private final Prober prober;
    private final Scheduler scheduler;
    private Duration interval = Duration.ofSeconds(10);
    private int unhealthyThreshold = 2;
    private int healthyThreshold = 2;
    private Supplier<RandomGenerator> random = ThreadLocalRandom::current;

    private Builder(FailureDetector passive, Prober prober, Scheduler scheduler) {
      this.passive = passive;
      this.prober = prober;
      this.scheduler = scheduler;
    }

    /**
     * Time between probes of one endpoint, ± 10%; default 10 s.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder interval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive");
      }
      this.interval = interval;
      return this;
    }

    /**
     * Failed probes in a row that mark an endpoint unhealthy, and successful ones that mark it
     * healthy again; defaults 2 and 2.
     *
     * @throws IllegalArgumentException if either is below 1
     */
    public Builder thresholds(int unhealthy, int healthy) {
      if (unhealthy < 1 || healthy < 1) {
        throw new IllegalArgumentException("thresholds must be ≥ 1");
      }
      this.unhealthyThreshold = unhealthy;
      this.healthyThreshold = healthy;
      return this;
    }

    /** Randomness for the first probe's offset and the jitter; must be thread-safe. */
    public Builder random(RandomGenerator random) {
      this.random = () -> random;
      return this;
    }

    /** The detector; probing starts as endpoints are tracked. */
    public ActiveHealthCheck build() {
      return new ActiveHealthCheck(this);
    }
  }
}
