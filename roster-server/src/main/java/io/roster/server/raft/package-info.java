/**
 * The Ratis state machine, the replicated command format, and the gateway that proposes commands.
 */
@NullMarked
package io.roster.server.raft;

import org.jspecify.annotations.NullMarked;
