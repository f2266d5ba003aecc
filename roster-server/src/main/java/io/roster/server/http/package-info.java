/**
 * The etcd v2 HTTP API on Netty: routing, request parsing, keys, watches and the other endpoints.
 */
@NullMarked
package io.roster.server.http;

import org.jspecify.annotations.NullMarked;
