/** Cluster identity and membership: member and cluster ids, peer and client URLs. */
@NullMarked
package io.roster.server.cluster;

import org.jspecify.annotations.NullMarked;
