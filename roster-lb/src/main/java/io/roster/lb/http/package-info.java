/**
 * HTTP/1.1 for roster-lb: immutable {@link io.roster.lb.http.HttpRequest} and {@link
 * io.roster.lb.http.HttpResponse} values, the {@link io.roster.lb.http.HttpClassifier} that decides
 * what failed and what may be retried, the {@link io.roster.lb.http.RosterHeaders} that carry
 * deadlines and attempt counts between services, and the Netty transport ({@link
 * io.roster.lb.http.HttpTransport}) with one bounded {@link io.roster.lb.pool.ConnectionPool} per
 * endpoint ({@link io.roster.lb.http.HttpEndpoint}).
 *
 * <p>Netty types never appear in the public API.
 */
@NullMarked
package io.roster.lb.http;

import org.jspecify.annotations.NullMarked;
