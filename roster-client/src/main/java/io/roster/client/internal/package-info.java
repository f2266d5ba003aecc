/**
 * Internals of the Roster client: endpoint pinning, HTTP transport, wire decoding, member refresh
 * and the watch loop. Not an API: anything here may change without notice.
 */
@NullMarked
package io.roster.client.internal;

import org.jspecify.annotations.NullMarked;
