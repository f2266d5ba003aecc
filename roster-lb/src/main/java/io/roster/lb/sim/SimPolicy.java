package io.roster.lb.sim;

import io.roster.lb.balancer.Policy;

/**
 * One client configuration to simulate: a balancing policy, with or without the default {@link
 * io.roster.lb.failure.Ejector}, with or without the default {@link
 * io.roster.lb.retry.RetryFilter}. Immutable.
 */
public record SimPolicy(String name, Policy policy, boolean ejection, boolean retries) {

  /** The balancer alone. */
  public static SimPolicy of(Policy policy) {
    return new SimPolicy(label(policy), policy, false, false);
  }

  /** The balancer with ejection and retries: the full default stack. */
  public static SimPolicy withResilience(Policy policy) {
    return new SimPolicy(label(policy) + " + eject + retry", policy, true, true);
  }

  private static String label(Policy policy) {
    switch (policy) {
      case ROUND_ROBIN:
        return "round-robin";
      case WEIGHTED_RANDOM:
        return "weighted-random";
      case P2C_LEAST_LOADED:
        return "p2c-least-loaded";
      default:
        return "p2c-peak-ewma";
    }
  }
}
