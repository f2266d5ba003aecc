package io.roster.lb.balancer;

import java.util.concurrent.atomic.AtomicInteger;

/*
 * Load = requests in flight + 1 (Finagle LeastLoaded.scala; Envoy LEAST_REQUEST). The +1 makes an
 * idle endpoint's load equal to one request's worth, so that dividing by weight still ranks idle
 * endpoints by weight instead of calling them all 0. Good for long-lived or streaming calls, where
 * latency says nothing about load; blind to a host that is slow but not yet backed up.
 */
final class LeastLoaded implements LoadMetric {
  private final AtomicInteger pending = new AtomicInteger();

  @Override
  public void start(long now) {
    pending.incrementAndGet();
  }

  @Override
  public void end(long now, long rttNanos) {
    pending.decrementAndGet();
  }

  @Override
  public double load(long now) {
    return pending.get() + 1;
  }

  @Override
  public int pending() {
    return pending.get();
  }

  @Override
  public double latencyNanos(long now) {
    return Double.NaN;
  }
}
