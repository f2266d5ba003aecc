/**
 * Endpoints from service discovery: {@link io.roster.lb.discovery.DiscoveredEndpoints} turns a
 * roster-client {@code InstanceCache} into an {@link io.roster.lb.EndpointSource}, keeping only
 * instances that take new requests and batching bursts of changes.
 */
@NullMarked
package io.roster.lb.discovery;

import org.jspecify.annotations.NullMarked;
