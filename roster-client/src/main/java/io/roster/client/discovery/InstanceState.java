package io.roster.client.discovery;

/**
 * What an instance says about itself. Callers route new requests only to {@link #UP} instances; a
 * {@link #DRAINING} one finishes what it has. Entries without a state (e.g. written by the seed's
 * node code) are {@code UP}.
 */
public enum InstanceState {
  /** Registered but not ready for traffic yet. */
  STARTING,
  /** Ready for traffic. */
  UP,
  /** Shutting down: finishing in-flight work, takes nothing new. */
  DRAINING,
  /** Taken out by an operator; still registered. */
  OUT_OF_SERVICE
}
