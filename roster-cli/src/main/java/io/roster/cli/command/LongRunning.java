package io.roster.cli.command;

/**
 * Marks commands that run until stopped (watches, registrations): {@code --total-timeout} does not
 * apply to them, as in etcdctl.
 */
public interface LongRunning {}
