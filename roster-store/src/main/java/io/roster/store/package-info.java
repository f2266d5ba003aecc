/**
 * The pure etcd v2 keyspace: a tree of keys and directories, its event history, watchers and TTL
 * expiry. No clock, no I/O, no Raft: time arrives as an argument, so replicas fed the same
 * mutations in the same order reach the same state, expiry included.
 */
@NullMarked
package io.roster.store;

import org.jspecify.annotations.NullMarked;
