package io.roster.lb.balancer;

/** The balancing policies {@link Balancers} can build. Each is a load metric × a pick strategy. */
public enum Policy {
  /** Each endpoint in turn, ignoring load and weight. */
  ROUND_ROBIN,
  /** A random endpoint with probability proportional to its weight (alias method, O(1)). */
  WEIGHTED_RANDOM,
  /** Power of two choices on requests in flight per unit of weight (Finagle's default). */
  P2C_LEAST_LOADED,
  /**
   * Power of two choices on peak-EWMA latency × (in flight + 1) per unit of weight: the default.
   */
  P2C_PEAK_EWMA
}
