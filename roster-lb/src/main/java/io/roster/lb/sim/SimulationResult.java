package io.roster.lb.sim;

import java.util.Locale;

/**
 * What one simulated run measured: end-to-end latency (arrival to final reply, retries included) at
 * three percentiles, the share of requests that finally succeeded, retries sent and ejections made.
 * Immutable.
 */
public record SimulationResult(
    String scenario,
    String policy,
    long requests,
    long successes,
    long p50Micros,
    long p99Micros,
    long p999Micros,
    long retries,
    long ejections) {

  /** Successes over requests, in [0, 1]. */
  public double successRate() {
    return requests == 0 ? 0 : (double) successes / requests;
  }

  /** A fixed-width table row matching {@link #header()}. */
  public String row() {
    return String.format(
        Locale.ROOT,
        "%-30s %-40s %8d %9.1f %9.1f %9.1f %9.3f%% %8d %6d",
        scenario,
        policy,
        requests,
        p50Micros / 1000.0,
        p99Micros / 1000.0,
        p999Micros / 1000.0,
        successRate() * 100,
        retries,
        ejections);
  }

  /** Column names for {@link #row()}. */
  public static String header() {
    return String.format(
        Locale.ROOT,
        "%-30s %-40s %8s %9s %9s %9s %10s %8s %6s",
        "scenario",
        "policy",
        "requests",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "success",
        "retries",
        "ejects");
  }
}
