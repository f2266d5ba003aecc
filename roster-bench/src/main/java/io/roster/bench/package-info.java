/**
 * Benchmarks, built only with {@code -Pbench}: {@link io.roster.bench.PickBenchmark} (JMH, the cost
 * of one balancer pick) and {@link io.roster.bench.LoadBench} (the roster-lb policies over real
 * local HTTP backends). Benchmarks, not tests: they assert nothing and print numbers.
 */
@NullMarked
package io.roster.bench;

import org.jspecify.annotations.NullMarked;
