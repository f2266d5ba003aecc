/**
 * One class per rosterctl command. The etcdctl commands reproduce etcdctl 3.4's v2 behaviour: the
 * same requests, output, error text and exit codes (see each class); the {@code service} commands
 * are rosterctl's own.
 */
@NullMarked
package io.roster.cli.command;

import org.jspecify.annotations.NullMarked;
