package io.roster.lb.sim;

import java.util.Locale;

/**
 * What one simulated run measured: end-to-end latency (arrival to final reply, retries included) at
 * three percentiles, and the share of requests that finally succeeded. Immutable.
 */
public record SimulationResult(
    String scenario,
    String policy,
    long requests,
    long successes,
    long p50Micros,
    long p99Micros,
    long p999Micros,
    long retries) {

  /** Successes over requests, in [0, 1]. */
  public double successRate() {
    return requests == 0 ? 0 : (double) successes / requests;
  }

  /** A fixed-width table row matching {@link #header()}. */
  public String row() {
    return String.format(
        Locale.ROOT,
        "%-30s %-34s %8d %9.1f %9.1f %9.1f %9.3f%% %8d",
        scenario,
        policy,
        requests,
        p50Micros / 1000.0,
        p99Micros / 1000.0,
        p999Micros / 1000.0,
        successRate() * 100,
        retries);
  }

  /** Column names for {@link #row()}. */
  public static String header() {
    return String.format(
        Locale.ROOT,
        "%-30s %-34s %8s %9s %9s %9s %10s %8s",
        "scenario",
        "policy",
        "requests",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "success",
        "retries");
  }
}
