package io.roster.server.http;

import io.roster.store.StoreStats;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the non-keys endpoints ({@code /v2/members}, {@code /v2/machines}, {@code /v2/stats/*},
 * {@code /health}) report about the cluster. Thread-safe; answers from local state, never blocks
 * except {@link #checkHealth}, which is asynchronous.
 */
public interface ClusterView {

  /** A member as {@code /v2/members} lists it; ids are lowercase hex without leading zeros. */
  record Member(String id, String name, List<String> peerUrls, List<String> clientUrls) {}

  /** The cluster id, lowercase hex without leading zeros (for {@code X-Etcd-Cluster-Id}). */
  String clusterId();

  /** This member. */
  Member self();

  /** All members of the current configuration. */
  List<Member> members();

  /** The id a member added with these peer URLs gets (etcd's id rule, with the cluster token). */
  long newMemberId(List<String> peerUrls);

  /**
   * Proposes a membership change (add, remove, update) through Raft. Completes with the applied
   * answer (status and {@code /v2/members} body, or etcd's members error), or exceptionally with
   * {@code RaftUnavailableException} when it could not be committed in time.
   */
  java.util.concurrent.CompletableFuture<io.roster.server.raft.WriteReply> changeMembers(
      io.roster.server.raft.Command.MemberCommand change);

  /** The current leader, if one is known. */
  Optional<Member> leader();

  /**
   * etcd's raft state name: {@code StateLeader}, {@code StateFollower} or {@code StateCandidate}.
   */
  String raftState();

  /** When this member started. */
  Instant startTime();

  /**
   * When the current leader (as this member sees it) took office; null-free: start time if unknown.
   */
  Instant leaderSince();

  /** Counters for {@code /v2/stats/store}. */
  StoreStats storeStats();

  /**
   * Whether the member can serve: a leader exists and a quorum round-trip succeeds within about a
   * second (etcd's {@code /health}).
   */
  java.util.concurrent.CompletableFuture<Boolean> checkHealth();
}
