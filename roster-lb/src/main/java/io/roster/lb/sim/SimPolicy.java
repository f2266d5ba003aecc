package io.roster.lb.sim;

import io.roster.lb.balancer.Policy;
import org.jspecify.annotations.Nullable;

/**
 * One client configuration to simulate: a balancing policy, with or without the default {@link
 * io.roster.lb.failure.Ejector}, with or without the default {@link
 * io.roster.lb.retry.RetryFilter}, optionally preferring one zone. Immutable.
 */
public record SimPolicy(
    String name, Policy policy, boolean ejection, boolean retries, @Nullable String localZone) {

  /** The balancer alone. */
  public static SimPolicy of(Policy policy) {
    return new SimPolicy(label(policy), policy, false, false, null);
  }

  /** The balancer with ejection and retries: the full default stack. */
  public static SimPolicy withResilience(Policy policy) {
    return new SimPolicy(label(policy) + " + eject + retry", policy, true, true, null);
  }

  /** The full stack preferring endpoints in {@code zone}, failing over when it is unhealthy. */
  public static SimPolicy zoneAware(Policy policy, String zone) {
    return new SimPolicy(label(policy) + " + eject + retry + zone", policy, true, true, zone);
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
