package io.roster.client;

/**
 * How to read a key. Immutable.
 *
 * @param recursive return the whole subtree of a directory, not just its direct children
 * @param sorted sort every {@code nodes} list by key
 * @param quorum read through Raft (linearizable) instead of from the answering member's state
 */
public record GetOptions(boolean recursive, boolean sorted, boolean quorum) {
  private static final GetOptions DEFAULTS = new GetOptions(false, false, false);

  /** Not recursive, not sorted, local (non-quorum) read. */
  public static GetOptions defaults() {
    return DEFAULTS;
  }

  /** A copy with {@code recursive} set. */
  public GetOptions withRecursive(boolean recursive) {
    return new GetOptions(recursive, sorted, quorum);
  }

  /** A copy with {@code sorted} set. */
  public GetOptions withSorted(boolean sorted) {
    return new GetOptions(recursive, sorted, quorum);
  }

  /** A copy with {@code quorum} set. */
  public GetOptions withQuorum(boolean quorum) {
    return new GetOptions(recursive, sorted, quorum);
  }
}
