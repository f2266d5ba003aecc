package io.roster.lb.balancer;

/**
 * A pick strategy over a fixed array of nodes. A balancer builds a new distributor whenever its
 * endpoints change and swaps it in atomically; a distributor itself never sees membership change.
 * Implementations are thread-safe, O(1) per pick, and never return null for a non-empty array.
 */
interface Distributor {

  /** One node, chosen at time {@code now}. */
  Node pick(long now);
}
