/**
 * Fault tests for Roster clusters: a Wing &amp; Gong / Lowe linearizability checker for the etcd v2
 * key-value model ({@link io.roster.it.fault.LinearizabilityChecker}), a recorder of concurrent
 * client histories ({@link io.roster.it.fault.HistoryRecorder}), and the faults themselves: kill -9
 * and restart, SIGSTOP/SIGCONT pauses, and partitions between members cut in a loopback proxy in
 * front of each peer port ({@link io.roster.it.fault.PeerProxy}).
 *
 * <p>Nothing here is thread-safe unless its Javadoc says so.
 */
@NullMarked
package io.roster.it.fault;

import org.jspecify.annotations.NullMarked;
