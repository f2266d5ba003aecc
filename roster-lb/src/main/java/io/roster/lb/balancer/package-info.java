/**
 * Load balancing as a load metric × a pick strategy (Finagle's {@code loadbalancer} package, see
 * {@code client-resilience.md} §1.3 and §9.1).
 *
 * <p>Public: {@link io.roster.lb.balancer.Balancer} and {@link io.roster.lb.balancer.Pick}, the
 * factory {@link io.roster.lb.balancer.Balancers} with its builder, the {@link
 * io.roster.lb.balancer.Policy} enum, and {@link io.roster.lb.balancer.NoEndpointsException}.
 * Metrics ({@code LeastLoaded}, {@code PeakEwma}) and distributors ({@code RoundRobin}, {@code
 * WeightedRandom}, {@code P2c}) are package-private and combined only in {@code Balancers}.
 */
@NullMarked
package io.roster.lb.balancer;

import org.jspecify.annotations.NullMarked;
