package io.roster.lb.failure;

/** Why an {@link Ejector} took an endpoint out of rotation. */
public enum EjectionReason {
  /** Too many failures in a row (default 5). */
  CONSECUTIVE_FAILURES,
  /** Success rate over the window fell below the threshold (default 0.8 over 30 s, ≥ 20 calls). */
  SUCCESS_RATE,
  /** Answers far slower than its peers for several sweep intervals in a row. */
  LATENCY_OUTLIER,
  /** The single probe after an ejection failed. */
  FAILED_PROBE
}
