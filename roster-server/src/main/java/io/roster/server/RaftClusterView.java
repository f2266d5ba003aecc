package io.roster.server;

import io.roster.server.cluster.MemberIds;
import io.roster.server.http.ClusterView;
import io.roster.server.raft.Command;
import io.roster.server.raft.Members;
import io.roster.server.raft.RaftGateway;
import io.roster.server.raft.RosterStateMachine;
import io.roster.server.raft.WriteReply;
import io.roster.store.StoreStats;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/**
 * The cluster as this member sees it, for {@code /v2/members}, {@code /v2/stats/*} and {@code
 * /health}. Members come from the replicated registry ({@link Members}); until its bootstrap entry
 * is applied, from the bootstrap flags (with client URLs for this member only). Membership changes
 * are proposed through the gateway like writes.
 */
final class RaftClusterView implements ClusterView {
  private final ServerConfig config;
  private final RaftServer.Division division;
  private final RosterStateMachine stateMachine;
  private final Map<String, Long> idsByName;
  private final long selfId;
  private final long clusterId;
  private final RaftGateway gateway;
  private final Instant startTime = Instant.now();

  RaftClusterView(
      ServerConfig config,
      RaftServer.Division division,
      RosterStateMachine stateMachine,
      Map<String, Long> idsByName,
      long selfId,
      long clusterId,
      RaftGateway gateway) {
    this.config = config;
    this.division = division;
    this.stateMachine = stateMachine;
    this.idsByName = Map.copyOf(idsByName);
    this.selfId = selfId;
    this.clusterId = clusterId;
    this.gateway = gateway;
  }

  @Override
  public String clusterId() {
    Members registry = stateMachine.members();
    return MemberIds.hex(registry.bootstrapped() ? registry.clusterId() : clusterId);
  }

  @Override
  public Member self() {
    Members registry = stateMachine.members();
    Optional<Members.Member> mine = registry.get(selfId);
    if (mine.isPresent()) {
      return view(mine.get());
    }
    return member(config.name());
  }

  private static Member view(Members.Member m) {
    return new Member(MemberIds.hex(m.id()), m.name(), m.peerUrls(), m.clientUrls());
  }

  @Override
  public long newMemberId(List<String> peerUrls) {
    return MemberIds.memberId(peerUrls, config.initialClusterToken());
  }

  @Override
  public CompletableFuture<WriteReply> changeMembers(Command.MemberCommand change) {
    return gateway.propose(change);
  }

  private Member member(String name) {
    long id = Objects.requireNonNull(idsByName.get(name), name);
    List<String> clientUrls = id == selfId ? strings(config.advertiseClientUrls()) : List.of();
    return new Member(
        MemberIds.hex(id),
        name,
        Objects.requireNonNull(config.initialCluster().peerUrlsByName().get(name), name),
        clientUrls);
  }

  private static List<String> strings(List<URI> uris) {
    List<String> out = new ArrayList<>(uris.size());
    uris.forEach(u -> out.add(u.toString()));
    return out;
  }

  @Override
  public List<Member> members() {
    Members registry = stateMachine.members();
    List<Member> out = new ArrayList<>();
    if (registry.bootstrapped()) {
      registry.list().forEach(m -> out.add(view(m)));
    } else {
      config.initialCluster().names().forEach(n -> out.add(member(n)));
    }
    return out;
  }

  @Override
  public Optional<Member> leader() {
    RaftPeerId leader = division.getInfo().getLeaderId();
    if (leader == null) {
      return Optional.empty();
    }
    String id = leader.toString();
    Members registry = stateMachine.members();
    if (registry.bootstrapped()) {
      for (Members.Member m : registry.list()) {
        if (MemberIds.hex(m.id()).equals(id)) {
          return Optional.of(view(m));
        }
      }
      return Optional.empty();
    }
    for (Map.Entry<String, Long> e : idsByName.entrySet()) {
      if (MemberIds.hex(e.getValue()).equals(id)) {
        return Optional.of(member(e.getKey()));
      }
    }
    return Optional.empty();
  }

  @Override
  public String raftState() {
    DivisionInfo info = division.getInfo();
    if (info.isLeader()) {
      return "StateLeader";
    }
    if (info.isCandidate()) {
      return "StateCandidate";
    }
    return "StateFollower";
  }

  @Override
  public Instant startTime() {
    return startTime;
  }

  @Override
  public Instant leaderSince() {
    return stateMachine.leaderChangedAt();
  }

  @Override
  public StoreStats storeStats() {
    return stateMachine.store().stats();
  }

  /**
   * Healthy when a leader is known and a linearizable read of the root completes within a second:
   * proof that a quorum answers, as etcd's {@code /health} checks with a quorum read.
   */
  @Override
  public CompletableFuture<Boolean> checkHealth() {
    if (division.getInfo().getLeaderId() == null) {
      return CompletableFuture.completedFuture(false);
    }
    return gateway
        .quorumGet("/", false, false)
        .orTimeout(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .handle((o, e) -> e == null);
  }

  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);
}
