/**
 * The vocabulary of roster-lb: an asynchronous {@link io.roster.lb.Service}, the {@link
 * io.roster.lb.Filter} that wraps one, the {@link io.roster.lb.Status} that availability travels
 * in, the {@link io.roster.lb.Endpoint} a request is sent to and the {@link
 * io.roster.lb.EndpointSource} that lists them, and the {@link io.roster.lb.ResponseClassifier}
 * that failure detection and retries share.
 *
 * <p>The design follows Finagle's Service/Filter model (see {@code
 * shared/reference/client-resilience.md} §1.1) over {@link java.util.concurrent.CompletionStage}.
 * Nothing in this package reads a clock or a random source: time and randomness are always passed
 * in, so every algorithm can run under a manual clock and a seeded generator.
 *
 * <p>Sub-packages: {@code balancer} (load metric × pick strategy, zone preference), {@code failure}
 * (passive ejection, optional active health checks), {@code retry} (budget, backoff, deadline-aware
 * retries), {@code pool} (bounded per-endpoint connection pools), {@code http} (HTTP/1.1 values,
 * classifier, roster headers, Netty transport), {@code client} (the assembled {@code LbClient}
 * stack), {@code discovery} (endpoints from a roster-client {@code InstanceCache}) and {@code sim}
 * (a deterministic discrete-event simulator).
 */
@NullMarked
package io.roster.lb;

import org.jspecify.annotations.NullMarked;
