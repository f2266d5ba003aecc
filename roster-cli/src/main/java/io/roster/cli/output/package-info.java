/**
 * How rosterctl prints: one {@link io.roster.cli.output.Printer} per {@code -o} format with
 * etcdctl's exact output, aligned {@link io.roster.cli.output.Table tables} for the service
 * commands, and {@link io.roster.cli.output.Style colour} only for people at a terminal.
 */
@NullMarked
package io.roster.cli.output;

import org.jspecify.annotations.NullMarked;
