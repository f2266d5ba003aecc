package io.roster.lb.balancer;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/*
 * Peak-EWMA latency × (requests in flight + 1), after Finagle's PeakEwma.scala and util/Ema.scala
 * and Linkerd's default balancer (client-resilience.md §1.3, §9.1; "Beyond Round Robin", Linkerd
 * blog 2016).
 *
 * The average decays with time, not with sample count: a sample x observed Δt after the last one
 * gives cost' = cost·w + x·(1 − w) with w = exp(−Δt/τ), τ the decay time (10 s by default). A sample
 * larger than the current cost replaces it outright (peak sensitivity), so a host that turns slow
 * is penalised at its first slow answer, while one that recovers is believed only gradually.
 * Reading the load first feeds in a sample of 0, so the cost of a host that gets no traffic decays
 * toward zero and the balancer eventually probes it again: a slow host is avoided, not abandoned.
 *
 * Multiplying by (in flight + 1) makes the cost an estimate of the wait for a new request, so a
 * fast host that is already busy does not take everything.
 *
 * New endpoints: Finagle starts a node at cost 0, which makes an idle new node look free (flooded)
 * and a node with requests in flight but no answer yet look infinitely expensive (starved). Here a
 * node starts at a seed cost, the median of its peers' current costs (or a default RTT when no peer
 * has data), as though it had just answered at the typical speed; its own first answers then take
 * over. That is the "sane initial cost" of §9.1; optional slow start (see SlowStart) adds a ramp on
 * top.
 *
 * Errors: a host that fails fast looks cheap to a latency metric and would attract traffic (the
 * "black hole" of a dead host answering errors in a millisecond). So the load is also divided by
 * max(0.1, 1 − errorRate) (client-resilience.md §9.1, after Envoy PR #32942 and Linkerd's load
 * biaser): a host failing half its requests costs twice as much, one failing everything ten
 * times. errorRate is an exponentially weighted average per response (α = 0.1, roughly the last
 * ten answers, whatever the rate) that also decays toward 0 with time (τ, like the latency) while
 * the host gets no answers, so a host that stopped failing — or stopped being asked — is
 * forgiven.
 *
 * Concurrency: cost and stamp change together under a per-endpoint lock held for a few floating
 * point operations and never while blocking; pending is a separate atomic. A P2C pick takes two of
 * these locks, on different endpoints, one after the other.
 */
final class PeakEwma implements LoadMetric {
  private static final double ERROR_ALPHA = 0.1;
  private static final double MIN_SUCCESS_SHARE = 0.1;

  private final double tauNanos;
  private final AtomicInteger pending = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock")
  private double cost;

  @GuardedBy("lock")
  private long stamp;

  @GuardedBy("lock")
  private double errorRate;

  @GuardedBy("lock")
  private long errorStamp;

  PeakEwma(double tauNanos, double seedNanos, long now) {
    if (!(tauNanos > 0) || !(seedNanos >= 0)) {
      throw new IllegalArgumentException("tau must be positive and seed non-negative");
    }
    this.tauNanos = tauNanos;
    this.cost = seedNanos;
    this.stamp = now;
    this.errorStamp = now;
  }

  @Override
  public void start(long now) {
    pending.incrementAndGet();
  }

  @Override
  public void abandon(long now) {
    pending.decrementAndGet();
  }

  @Override
  public void end(long now, long rttNanos) {
    end(now, rttNanos, false);
  }

  @Override
  public void end(long now, long rttNanos, boolean failed) {
    pending.decrementAndGet();
    lock.lock();
    try {
      observe(now, Math.max(0, rttNanos));
      decayErrors(now);
      errorRate += ERROR_ALPHA * ((failed ? 1 : 0) - errorRate);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public double load(long now) {
    lock.lock();
    try {
      observe(now, 0);
      decayErrors(now);
      return cost * (pending.get() + 1) / Math.max(MIN_SUCCESS_SHARE, 1 - errorRate);
    } finally {
      lock.unlock();
    }
  }

  /** The error rate this metric believes in, in [0, 1]. */
  double errorRate(long now) {
    lock.lock();
    try {
      decayErrors(now);
      return errorRate;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int pending() {
    return pending.get();
  }

  @Override
  public double latencyNanos(long now) {
    lock.lock();
    try {
      observe(now, 0);
      return cost;
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private void decayErrors(long now) {
    long elapsed = now - errorStamp;
    if (elapsed > 0) {
      if (errorRate != 0) {
        errorRate *= Math.exp(-elapsed / tauNanos);
      }
      errorStamp = now;
    }
  }

  @GuardedBy("lock")
  private void observe(long now, double sample) {
    long elapsed = Math.max(0, now - stamp);
    stamp = Math.max(stamp, now);
    if (sample > cost) {
      cost = sample;
    } else if (elapsed > 0) {
      double w = Math.exp(-elapsed / tauNanos);
      cost = cost * w + sample * (1 - w);
    }
  }
}
