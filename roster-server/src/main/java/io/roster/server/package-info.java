/** The Roster daemon: configuration, lifecycle, and the wiring of Raft, store and HTTP. */
@NullMarked
package io.roster.server;

import org.jspecify.annotations.NullMarked;
