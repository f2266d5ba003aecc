package io.roster.server.http;

import io.roster.server.raft.Command;
import io.roster.server.raft.WriteReply;
import io.roster.store.Outcome;
import io.roster.store.WatchResult;
import io.roster.store.WatchSink;
import java.util.concurrent.CompletableFuture;

/**
 * What the keys API needs from the rest of the server: replicated writes, local and linearizable
 * reads, watches, and the Raft position for response headers. Implemented over Ratis by the server;
 * every method is thread-safe and none blocks.
 */
public interface KeysBackend {

  /**
   * Replicates and applies a write; completes once the local store has applied it. Completes
   * exceptionally with {@link RaftUnavailableException} when it could not be committed in time (the
   * write may still be applied later).
   */
  CompletableFuture<WriteReply> propose(Command command);

  /** A local read (etcd v2's default GET). */
  Outcome get(String key, boolean recursive, boolean sorted);

  /** A linearizable read ({@code quorum=true}); fails like {@link #propose} without a quorum. */
  CompletableFuture<Outcome> quorumGet(String key, boolean recursive, boolean sorted);

  /** Starts a watch on the local store; see {@code Store.watch}. */
  WatchResult watch(String key, boolean recursive, boolean stream, long sinceIndex, WatchSink sink);

  /** The Raft commit index, for {@code X-Raft-Index}. */
  long raftIndex();

  /** The current Raft term, for {@code X-Raft-Term}. */
  long raftTerm();
}
