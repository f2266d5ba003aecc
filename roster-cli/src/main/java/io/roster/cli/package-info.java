/**
 * {@code rosterctl}: etcdctl's v2 commands with etcdctl's flags, output, error text and exit codes,
 * plus service commands. {@link io.roster.cli.RosterCtl} is the entry point; {@link
 * io.roster.cli.Session} is what one run shares between its commands.
 */
@NullMarked
package io.roster.cli;

import org.jspecify.annotations.NullMarked;
