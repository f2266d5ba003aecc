package io.roster.client.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What {@link Registration#drain} achieved. Immutable.
 *
 * @param index the store index of the DRAINING write
 * @param applied endpoints that reported having applied that index (their watchers have been sent
 *     the change)
 * @param unreachable endpoints that refused the connection: down, so they serve no watcher
 * @param lagging endpoints that answered without having applied the write, or did not answer in
 *     time, before the wait ran out
 * @param waited how long {@code drain} took, write included
 */
public record DrainResult(
    long index, List<URI> applied, List<URI> unreachable, List<URI> lagging, Duration waited) {

  /** Copies the lists. */
  public DrainResult {
    applied = List.copyOf(applied);
    unreachable = List.copyOf(unreachable);
    lagging = List.copyOf(lagging);
  }

  /** Whether every reachable member applied the write before the wait ran out. */
  public boolean complete() {
    return lagging.isEmpty();
  }
}
