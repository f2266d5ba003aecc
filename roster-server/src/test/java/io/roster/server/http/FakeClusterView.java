package io.roster.server.http;

import io.roster.server.cluster.MemberIds;
import io.roster.server.raft.Command;
import io.roster.server.raft.Members;
import io.roster.server.raft.WriteReply;
import io.roster.store.StoreStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A {@link ClusterView} with settable members, leader and health. */
final class FakeClusterView implements ClusterView {
  static final Member SELF =
      new Member(
          "2943212f5e2cf73",
          "default",
          List.of("http://127.0.0.1:23802"),
          List.of("http://127.0.0.1:23792"));
  static final Member OTHER =
      new Member(
          "8e9e05c52164694d",
          "two",
          List.of("http://127.0.0.1:23803"),
          List.of("http://127.0.0.1:23793"));

  volatile List<Member> members = List.of(SELF);
  volatile @Nullable Member leader = SELF;
  volatile boolean healthy = true;
  private final Supplier<StoreStats> stats;

  FakeClusterView(Supplier<StoreStats> stats) {
    this.stats = stats;
  }

  @Override
  public String clusterId() {
    return "70f9cf875eabdc0b";
  }

  @Override
  public Member self() {
    return SELF;
  }

  @Override
  public List<Member> members() {
    return members;
  }

  @Override
  public Optional<Member> leader() {
    return Optional.ofNullable(leader);
  }

  @Override
  public String raftState() {
    return leader == SELF ? "StateLeader" : "StateFollower";
  }

  @Override
  public Instant startTime() {
    return Instant.parse("2026-11-24T23:12:13.072205525Z");
  }

  @Override
  public Instant leaderSince() {
    return Instant.parse("2026-11-24T23:12:13.272941481Z");
  }

  @Override
  public StoreStats storeStats() {
    return stats.get();
  }

  volatile boolean commits = true;

  @Override
  public long newMemberId(List<String> peerUrls) {
    return MemberIds.memberId(peerUrls, "fake-token");
  }

  private @Nullable Members registry;

  /**
   * Applies the change to a real registry (bootstrapped from {@link #members} on the first change)
   * and shows the result in {@link #members}; with {@code commits} false it fails as an
   * uncommittable proposal does.
   */
  @Override
  public synchronized CompletableFuture<WriteReply> changeMembers(Command.MemberCommand change) {
    if (!commits) {
      return CompletableFuture.failedFuture(new RaftUnavailableException("timed out"));
    }
    Members current = registry;
    if (current == null) {
      List<Members.Member> founding = new ArrayList<>();
      for (Member m : members) {
        founding.add(
            new Members.Member(
                Long.parseUnsignedLong(m.id(), 16), m.name(), m.peerUrls(), m.clientUrls()));
      }
      current = Members.EMPTY.apply(new Command.Bootstrap(1, founding), 0).members();
    }
    Members.Applied applied = current.apply(change, 7);
    registry = applied.members();
    List<Member> after = new ArrayList<>();
    for (Members.Member m : applied.members().list()) {
      after.add(new Member(Long.toHexString(m.id()), m.name(), m.peerUrls(), m.clientUrls()));
    }
    members = List.copyOf(after);
    return CompletableFuture.completedFuture(applied.reply());
  }

  @Override
  public CompletableFuture<Boolean> checkHealth() {
    return CompletableFuture.completedFuture(healthy);
  }
}
