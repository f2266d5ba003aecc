/**
 * The assembled HTTP client: {@link io.roster.lb.client.LbClient} puts deadline, retries with the
 * shared budget, hedging, balancing, per-endpoint failure accounting and pooled transport together
 * in one documented place ({@link io.roster.lb.client.LbClient.Builder#build()}), fed by an {@link
 * io.roster.lb.EndpointSource}. Everything else in this package is the stack's internals.
 */
@NullMarked
package io.roster.lb.client;

import org.jspecify.annotations.NullMarked;
