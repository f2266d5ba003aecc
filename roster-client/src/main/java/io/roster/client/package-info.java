/**
 * The Roster client: the etcd v2 keys API (reads, writes with conditions and TTLs, watches) over
 * HTTP, against Roster or etcd 3.4 with {@code --enable-v2}. {@link io.roster.client.RosterClient}
 * is the entry point.
 *
 * <p>Every type here is immutable or thread-safe as its Javadoc says. Every request is bounded by
 * the client's request timeout; nothing blocks forever except {@link
 * io.roster.client.Watch#take()}. Failures are {@link io.roster.client.RosterException} (the server
 * answered with an etcd error), {@link io.roster.client.RosterTransportException} (no usable
 * answer) or its subtype {@link io.roster.client.OutcomeUnknownException} (a write was sent but its
 * fate is unknown). Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package io.roster.client;

import org.jspecify.annotations.NullMarked;
