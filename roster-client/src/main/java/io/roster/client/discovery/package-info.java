/**
 * Service discovery on the etcd v2 keyspace, compatible with the seed's layout: one key per
 * instance at {@code /services/SERVICE/DATACENTER/ID} holding JSON with at least {@code hostname}
 * and {@code port} (a string). {@link io.roster.client.discovery.ServiceRegistry} registers with a
 * TTL and keeps the key alive; {@link io.roster.client.discovery.ServiceDiscovery} keeps a
 * watch-driven {@link io.roster.client.discovery.InstanceCache}.
 */
@NullMarked
package io.roster.client.discovery;

import org.jspecify.annotations.NullMarked;
