package io.roster.client;

import io.roster.api.Action;
import org.jspecify.annotations.Nullable;

/**
 * A successful answer of the keys API. Immutable.
 *
 * @param action what happened ({@link Action#GET} for reads)
 * @param node the node after the operation (for a delete: the key with its new modifiedIndex)
 * @param prevNode the node before the operation, for actions that report one
 * @param etcdIndex the {@code X-Etcd-Index} header: for writes the index of the write, for reads
 *     the store's index when it answered; 0 if absent
 * @param raftIndex the {@code X-Raft-Index} header, 0 if absent
 * @param raftTerm the {@code X-Raft-Term} header, 0 if absent
 */
public record KeyResponse(
    Action action,
    Node node,
    @Nullable Node prevNode,
    long etcdIndex,
    long raftIndex,
    long raftTerm) {}
