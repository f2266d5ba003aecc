/**
 * A deterministic discrete-event simulator for comparing balancing, ejection and retry policies
 * before rolling them out ({@code client-resilience.md} §8 gap 13): simulated hosts with lognormal
 * latency and an error rate, Poisson arrivals, a manual clock and seeded randomness, no threads and
 * no sleeping. The same seed gives the same numbers on every machine.
 *
 * <p>Run {@link io.roster.lb.sim.SimulatorMain} to print the standard scenarios.
 */
@NullMarked
package io.roster.lb.sim;

import org.jspecify.annotations.NullMarked;
