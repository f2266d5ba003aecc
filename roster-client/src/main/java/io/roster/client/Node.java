package io.roster.client;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One node of the etcd v2 keyspace as the server reported it: a key holding a value, or a directory
 * holding {@link #nodes() children}. Immutable.
 *
 * @param key the full key, e.g. {@code /services/a/dc1/i1}; {@code ""} for the root
 * @param value the value of a key; {@code null} for directories and for the node of a delete,
 *     compareAndDelete or expire event
 * @param dir whether this is a directory
 * @param expiration when the node expires, {@code null} if it is permanent
 * @param ttl seconds left until expiration as computed by the server when it answered; 0 when the
 *     node is permanent or the figure worked out to 0
 * @param modifiedIndex the index of the node's last change
 * @param createdIndex the index of the write that created this node
 * @param nodes the children that were returned (only for directory reads; empty otherwise)
 */
public record Node(
    String key,
    @Nullable String value,
    boolean dir,
    @Nullable Instant expiration,
    long ttl,
    long modifiedIndex,
    long createdIndex,
    List<Node> nodes) {

  /** Copies {@code nodes}. */
  public Node {
    nodes = List.copyOf(nodes);
  }
}
