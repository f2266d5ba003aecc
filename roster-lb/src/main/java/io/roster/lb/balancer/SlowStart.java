package io.roster.lb.balancer;

/*
 * Slow start (Envoy's slow_start_config, client-resilience.md §2.1, §9.1): an endpoint that joins
 * a running balancer has its weight scaled by max(minFactor, min(1, age / window)), so its share of
 * traffic ramps up linearly over the window instead of jumping to full at once. Endpoints present
 * at the balancer's first non-empty update are treated as warm. A window of 0 turns it off.
 *
 * Only P2C policies consult it (they divide load by weight); round robin and weighted random pick
 * without load and ignore it.
 */
final class SlowStart {
  static final SlowStart OFF = new SlowStart(0, 1);

  private final long windowNanos;
  private final double minFactor;

  SlowStart(long windowNanos, double minFactor) {
    if (windowNanos < 0 || !(minFactor > 0 && minFactor <= 1)) {
      throw new IllegalArgumentException("window must be ≥ 0 and minFactor in (0, 1]");
    }
    this.windowNanos = windowNanos;
    this.minFactor = minFactor;
  }

  boolean enabled() {
    return windowNanos > 0;
  }

  long windowNanos() {
    return windowNanos;
  }

  /** The weight multiplier for an endpoint of age {@code ageNanos}. */
  double factor(long ageNanos) {
    if (windowNanos == 0 || ageNanos >= windowNanos) {
      return 1;
    }
    return Math.max(minFactor, Math.max(0, ageNanos) / (double) windowNanos);
  }
}
