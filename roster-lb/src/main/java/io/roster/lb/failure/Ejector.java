package io.roster.lb.failure;

import io.roster.lb.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The passive {@link FailureDetector}: ejects an endpoint after consecutive failures, a low success
 * rate, or latency far above its peers'; keeps it out for an exponentially growing, jittered time;
 * then lets exactly one probe request decide whether it comes back. Defaults follow {@code
 * client-resilience.md} §9.2:
 *
 * <ul>
 *   <li>5 consecutive failures, or success rate below 0.8 over 30 s with at least 20 requests;
 *   <li>latency outlier: mean latency above 3 × the median of its peers' for 3 sweep intervals of
 *       10 s in a row, with at least 50 requests per interval and at least 3 eligible hosts;
 *   <li>ejection time 30 s × multiplier, at most 300 s, ±20% jitter;
 *   <li>at most 20% of endpoints ejected at once, but always one when there are 3 or more, and none
 *       in pools of one or two (where ejecting would only move all load to the rest).
 * </ul>
 *
 * <p>Thread-safe and non-blocking. There is no background thread: the latency sweep runs inside
 * whichever {@link EndpointHealth#onResponse} call first finds the interval over.
 */
public final class Ejector implements FailureDetector {
  final LongSupplier clock;
  final Supplier<RandomGenerator> random;
  final int consecutiveFailures;
  final double successRateThreshold;
  final long successRateWindowNanos;
  final long successRateMinRequests;
  final long baseEjectionNanos;
  final long maxEjectionNanos;
  final double jitter;
  final double maxEjectedShare;
  final double outlierFactor;
  final long sweepIntervalNanos;
  final int outlierIntervals;
  final long outlierMinRequests;
  final int outlierMinHosts;

  private final List<TrackedEndpoint> tracked = new CopyOnWriteArrayList<>();
  private final AtomicInteger ejected = new AtomicInteger();
  private final AtomicLongArray ejections = new AtomicLongArray(EjectionReason.values().length);
  private final AtomicInteger capped = new AtomicInteger();
  private final ReentrantLock sweepLock = new ReentrantLock();
  private volatile long nextSweep;

  private Ejector(Builder b) {
    this.clock = b.clock;
    this.random = b.random;
    this.consecutiveFailures = b.consecutiveFailures;
    this.successRateThreshold = b.successRateThreshold;
    this.successRateWindowNanos = b.successRateWindow.toNanos();
    this.successRateMinRequests = b.successRateMinRequests;
    this.baseEjectionNanos = b.baseEjection.toNanos();
    this.maxEjectionNanos = b.maxEjection.toNanos();
    this.jitter = b.jitter;
    this.maxEjectedShare = b.maxEjectedShare;
    this.outlierFactor = b.outlierFactor;
    this.sweepIntervalNanos = b.sweepInterval.toNanos();
    this.outlierIntervals = b.outlierIntervals;
    this.outlierMinRequests = b.outlierMinRequests;
    this.outlierMinHosts = b.outlierMinHosts;
    this.nextSweep = clock.getAsLong() + sweepIntervalNanos;
  }

  /** A builder with the defaults above, the system nano clock and thread-local randomness. */
  public static Builder newBuilder() {
    return new Builder();
  }

  @Override
  public EndpointHealth track(Endpoint endpoint) {
    TrackedEndpoint t = new TrackedEndpoint(this, endpoint);
    tracked.add(t);
    return t;
  }

  @Override
  public void untrack(EndpointHealth health) {
    if (health instanceof TrackedEndpoint && tracked.remove(health)) {
      if (((TrackedEndpoint) health).detach()) {
        releaseSlot();
      }
    }
  }

  @Override
  public double ejectedShare() {
    int n = tracked.size();
    return n == 0 ? 0 : Math.min(1.0, (double) ejected.get() / n);
  }

  /** Endpoints currently ejected or probing. */
  public int ejectedCount() {
    return ejected.get();
  }

  /** Ejections so far for {@code reason}, including ones that later ended. */
  public long ejections(EjectionReason reason) {
    return ejections.get(reason.ordinal());
  }

  /** Ejections a rule asked for but the ejected-share cap refused. */
  public long cappedEjections() {
    return capped.get();
  }

  long now() {
    return clock.getAsLong();
  }

  boolean tryTakeSlot() {
    int cap = cap(tracked.size());
    while (true) {
      int current = ejected.get();
      if (current >= cap) {
        return false;
      }
      if (ejected.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void releaseSlot() {
    ejected.decrementAndGet();
  }

  int cap(int hosts) {
    if (hosts < 3) {
      return 0;
    }
    return Math.max(1, (int) Math.floor(maxEjectedShare * hosts));
  }

  long ejectionNanos(int multiplier) {
    double base = Math.min((double) maxEjectionNanos, (double) baseEjectionNanos * multiplier);
    double factor = 1 + jitter * (2 * random.get().nextDouble() - 1);
    return (long) Math.max(0, base * factor);
  }

  void recordEjection(EjectionReason reason) {
    ejections.incrementAndGet(reason.ordinal());
  }

  void recordCapped() {
    capped.incrementAndGet();
  }

  void maybeSweep(long now) {
    if (now - nextSweep < 0 || !sweepLock.tryLock()) {
      return;
    }
    try {
      if (now - nextSweep < 0) {
        return;
      }
      nextSweep = now + sweepIntervalNanos;
      sweep(now);
    } finally {
      sweepLock.unlock();
    }
  }

  private void sweep(long now) {
    TrackedEndpoint[] hosts = tracked.toArray(new TrackedEndpoint[0]);
    double[] means = new double[hosts.length];
    for (int i = 0; i < hosts.length; i++) {
      means[i] = hosts[i].closeInterval(outlierMinRequests);
    }
    if (outlierFactor <= 0) {
      return;
    }
    boolean[] slow = LatencyOutliers.slow(means, outlierFactor, outlierMinHosts);
    for (int i = 0; i < hosts.length; i++) {
      hosts[i].latencyVerdict(now, slow[i], outlierIntervals);
    }
  }

  /**
   * Configures an {@link Ejector}. Not thread-safe; every setter validates its argument and throws
   * {@link IllegalArgumentException} on a bad value.
   */
  public static final class Builder {
    private LongSupplier clock = System::nanoTime;
    private Supplier<RandomGenerator> random = ThreadLocalRandom::current;
    private int consecutiveFailures = 5;
    private double successRateThreshold = 0.8;
    private Duration successRateWindow = Duration.ofSeconds(30);
    private long successRateMinRequests = 20;
    private Duration baseEjection = Duration.ofSeconds(30);
    private Duration maxEjection = Duration.ofSeconds(300);
    private double jitter = 0.2;
    private double maxEjectedShare = 0.2;
    private double outlierFactor = 3.0;
    private Duration sweepInterval = Duration.ofSeconds(10);
    private int outlierIntervals = 3;
    private long outlierMinRequests = 50;
    private int outlierMinHosts = 3;

    private Builder() {}

    /** Nanosecond clock; default {@link System#nanoTime()}. */
    public Builder clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /** Randomness for ejection jitter; must be thread-safe if the detector is shared. */
    public Builder random(RandomGenerator random) {
      this.random = () -> random;
      return this;
    }

    /** Failures in a row that eject; 0 turns the rule off. */
    public Builder consecutiveFailures(int n) {
      require(n >= 0, "consecutiveFailures must be ≥ 0");
      this.consecutiveFailures = n;
      return this;
    }

    /** Eject when success rate over {@code window} is below {@code threshold} (0 turns off). */
    public Builder successRate(double threshold, Duration window, long minRequests) {
      require(threshold >= 0 && threshold <= 1, "threshold must be in [0, 1]");
      require(positive(window), "window must be positive");
      require(minRequests >= 1, "minRequests must be ≥ 1");
      this.successRateThreshold = threshold;
      this.successRateWindow = window;
      this.successRateMinRequests = minRequests;
      return this;
    }

    /** Ejection time: {@code base} × multiplier, at most {@code max}, ± {@code jitter} share. */
    public Builder ejectionTime(Duration base, Duration max, double jitter) {
      require(positive(base) && max.compareTo(base) >= 0, "need 0 < base ≤ max");
      require(jitter >= 0 && jitter < 1, "jitter must be in [0, 1)");
      this.baseEjection = base;
      this.maxEjection = max;
      this.jitter = jitter;
      return this;
    }

    /** Largest share of endpoints ejected at once (one is always allowed from 3 endpoints). */
    public Builder maxEjectedShare(double share) {
      require(share >= 0 && share <= 1, "share must be in [0, 1]");
      this.maxEjectedShare = share;
      return this;
    }

    /**
     * Latency-outlier rule: eject a host whose mean latency exceeds {@code factor} × its peers'
     * median for {@code intervals} sweeps in a row; {@code factor} 0 turns the rule off.
     */
    public Builder latencyOutlier(
        double factor, Duration sweepInterval, int intervals, long minRequests, int minHosts) {
      require(factor == 0 || factor > 1, "factor must be 0 (off) or > 1");
      require(positive(sweepInterval), "sweepInterval must be positive");
      require(intervals >= 1 && minRequests >= 1, "intervals and minRequests must be ≥ 1");
      require(minHosts >= 3, "minHosts must be ≥ 3");
      this.outlierFactor = factor;
      this.sweepInterval = sweepInterval;
      this.outlierIntervals = intervals;
      this.outlierMinRequests = minRequests;
      this.outlierMinHosts = minHosts;
      return this;
    }

    /** The detector. */
    public Ejector build() {
      return new Ejector(this);
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
}
