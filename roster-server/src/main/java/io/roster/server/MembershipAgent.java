package io.roster.server;

import io.roster.server.cluster.MemberIds;
import io.roster.server.raft.Command;
import io.roster.server.raft.Members;
import io.roster.server.raft.RaftGateway;
import io.roster.server.raft.RosterStateMachine;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this member's part of the membership protocol going, every 200 ms on one thread:
 *
 * <ol>
 *   <li><b>Bootstrap.</b> A founding member proposes the bootstrap registry (ids, names and peer
 *       URLs from {@code --initial-cluster}) until one such entry is applied; the first applied
 *       wins, the rest are no-ops, and a member that joins later learns the registry from the log
 *       or a snapshot.
 *   <li><b>Publish</b> (etcd's {@code publish}): once the registry knows this member, it proposes
 *       its name and client URLs whenever the registry's copy differs.
 *   <li><b>Reconcile</b> (leader only): while the Ratis configuration's peers differ from the
 *       registry's members (id and address of the first peer URL), it asks Ratis to change the
 *       configuration to the registry's. Ratis admits a new peer only once it has caught up, so a
 *       member added but not yet started costs no quorum; the attempt times out and is retried
 *       until the member starts. A removal is carried out only if the remaining configuration keeps
 *       a quorum of members the leader heard from recently, so that removing a healthy member while
 *       another is down cannot wedge the cluster in a configuration it cannot commit.
 *   <li><b>Removal.</b> When the registry says this member was removed, it waits until the Raft
 *       configuration no longer counts it (at most {@link #REMOVED_GRACE_MILLIS}), so that its
 *       leaving never costs the others their quorum, then stops the member, as etcd does.
 * </ol>
 *
 * Proposals go through the gateway like client writes; at most one is in flight per step.
 */
final class MembershipAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipAgent.class);
  private static final long PERIOD_MILLIS = 200;
  static final long REMOVED_GRACE_MILLIS = 15_000;

  /** A follower silent for longer does not count towards the quorum a removal must keep. */
  private static final long ACTIVE_MILLIS = 3_000;

  private final ServerConfig config;
  private final RaftServer.Division division;
  private final RosterStateMachine stateMachine;
  private final RaftGateway gateway;
  private final Supplier<RaftClient> clients;
  private final long selfId;
  private final Command.@Nullable Bootstrap bootstrap;
  private final Runnable stopMember;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean proposing = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private long removedSince;
  private long nextReconfigureAt;
  private String lastReconcileProblem = "";
  private volatile String lastProposalFailure = "";

  /**
   * @param bootstrap the registry to propose until bootstrapped; null for a joining member
   * @param stopMember stops this member (called once, from this agent's thread)
   */
  MembershipAgent(
      ServerConfig config,
      RaftServer.Division division,
      RosterStateMachine stateMachine,
      RaftGateway gateway,
      Supplier<RaftClient> clients,
      long selfId,
      Command.@Nullable Bootstrap bootstrap,
      Runnable stopMember) {
    this.config = config;
    this.division = division;
    this.stateMachine = stateMachine;
    this.gateway = gateway;
    this.clients = clients;
    this.selfId = selfId;
    this.bootstrap = bootstrap;
    this.stopMember = stopMember;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "roster-membership");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::tick, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      if (division.getInfo().getLeaderId() == null) {
        return;
      }
      Members members = stateMachine.members();
      if (!members.bootstrapped()) {
        if (bootstrap != null) {
          propose(bootstrap);
        }
        return;
      }
      if (division.getInfo().isLeader() && division.getInfo().isLeaderReady()) {
        reconcile(members); // a removed leader still takes itself out of the configuration
      }
      if (members.isRemoved(selfId)) {
        leave();
        return;
      }
      members.get(selfId).ifPresent(this::publishIfChanged);
    } catch (RuntimeException e) {
      LOG.warn("membership step failed", e);
    }
  }

  private void publishIfChanged(Members.Member self) {
    if (!published(self)) {
      propose(new Command.Publish(selfId, config.name(), clientUrls()));
    }
  }

  private List<String> clientUrls() {
    List<String> clientUrls = new ArrayList<>();
    config.advertiseClientUrls().forEach(u -> clientUrls.add(u.toString()));
    return clientUrls;
  }

  private boolean published(Members.Member self) {
    return self.name().equals(config.name()) && self.clientUrls().equals(clientUrls());
  }

  /**
   * Waits until the registry shows this member's name and client URLs, as etcd publishes before it
   * serves clients (so that {@code /v2/members}, which clients sync their endpoints from, lists
   * this member's client URLs from its first answer on). Gives up after {@code bound}.
   *
   * @return whether it was published in time
   */
  boolean awaitPublished(java.time.Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      var self = stateMachine.members().get(selfId);
      if (self.isPresent() && published(self.get())) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  private void propose(Command c) {
    if (!proposing.compareAndSet(false, true)) {
      return;
    }
    gateway
        .propose(c)
        .whenComplete(
            (r, e) -> {
              proposing.set(false);
              String failure = e == null ? "" : e.toString();
              if (!failure.isEmpty() && !failure.equals(lastProposalFailure)) {
                LOG.info("membership: proposing {} failed ({}); retrying", c, failure);
              }
              lastProposalFailure = failure;
            });
  }

  /** The Ratis peers the registry asks for: id and the first peer URL's host:port. */
  static Map<RaftPeerId, String> desiredPeers(Members members) {
    Map<RaftPeerId, String> out = new HashMap<>();
    for (Members.Member m : members.list()) {
      if (m.peerUrls().isEmpty()) {
        continue;
      }
      URI u = URI.create(m.peerUrls().get(0));
      out.put(RaftPeerId.valueOf(MemberIds.hex(m.id())), u.getHost() + ":" + u.getPort());
    }
    return out;
  }

  private void reconcile(Members members) {
    RaftConfiguration conf = division.getRaftConf();
    if (!conf.getPreviousPeers().isEmpty()) {
      return; // a change is under way
    }
    Map<RaftPeerId, String> current = new HashMap<>();
    conf.getCurrentPeers().forEach(p -> current.put(p.getId(), p.getAddress()));
    Map<RaftPeerId, String> desired = desiredPeers(members);
    if (desired.isEmpty() || current.equals(desired)) {
      lastReconcileProblem = "";
      return;
    }
    long now = System.nanoTime();
    if (now - nextReconfigureAt < 0) {
      return;
    }
    String problem = removalWouldLoseQuorum(current.keySet(), desired.keySet());
    if (problem != null) {
      if (!problem.equals(lastReconcileProblem)) {
        LOG.warn("membership: not changing the Raft configuration yet: {}", problem);
        lastReconcileProblem = problem;
      }
      nextReconfigureAt = now + TimeUnit.SECONDS.toNanos(1);
      return;
    }
    List<RaftPeer> peers = new ArrayList<>();
    desired.forEach(
        (id, address) -> peers.add(RaftPeer.newBuilder().setId(id).setAddress(address).build()));
    LOG.info("membership: changing the Raft configuration from {} to {}", current, desired);
    try (RaftClient client = clients.get()) {
      RaftClientReply reply = client.admin().setConfiguration(peers);
      if (reply.isSuccess()) {
        LOG.info("membership: Raft configuration is now {}", desired);
        lastReconcileProblem = "";
      } else {
        LOG.info(
            "membership: configuration change not done yet ({}); retrying",
            Objects.toString(reply.getException(), "no reason given"));
        nextReconfigureAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      }
    } catch (IOException | RuntimeException e) {
      LOG.info("membership: configuration change not done yet ({}); retrying", e.toString());
      nextReconfigureAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    }
  }

  /**
   * Why removing peers now could leave the new configuration without a quorum of live members, or
   * null if it cannot. Added peers do not count: Ratis admits them only once they are live.
   */
  private @Nullable String removalWouldLoseQuorum(
      java.util.Set<RaftPeerId> current, java.util.Set<RaftPeerId> desired) {
    if (desired.containsAll(current)) {
      return null;
    }
    List<RaftPeerId> kept = new ArrayList<>(current);
    kept.retainAll(desired);
    if (kept.isEmpty()) {
      return "the change would remove every current member";
    }
    java.util.Set<RaftPeerId> live = activePeers();
    long liveKept = kept.stream().filter(live::contains).count();
    if (liveKept * 2 <= kept.size()) {
      return "only "
          + liveKept
          + " of the "
          + kept.size()
          + " remaining members answered the leader in the last "
          + ACTIVE_MILLIS / 1000
          + " s";
    }
    return null;
  }

  /** This leader and the followers it heard from within {@link #ACTIVE_MILLIS}. */
  private java.util.Set<RaftPeerId> activePeers() {
    java.util.Set<RaftPeerId> live = new java.util.HashSet<>();
    live.add(division.getId());
    var role = division.getInfo().getRoleInfoProto();
    if (role.hasLeaderInfo()) {
      for (var f : role.getLeaderInfo().getFollowerInfoList()) {
        if (f.getLastRpcElapsedTimeMs() <= ACTIVE_MILLIS) {
          live.add(RaftPeerId.valueOf(f.getId().getId()));
        }
      }
    }
    return live;
  }

  private void leave() {
    long now = System.nanoTime();
    if (removedSince == 0) {
      removedSince = now;
      LOG.warn("this member has been removed from the cluster; leaving");
    }
    boolean stillCounted =
        division.getRaftConf().getCurrentPeers().stream()
            .anyMatch(p -> p.getId().equals(division.getId()));
    if (stillCounted && now - removedSince < TimeUnit.MILLISECONDS.toNanos(REMOVED_GRACE_MILLIS)) {
      return;
    }
    if (stopping.compareAndSet(false, true)) {
      LOG.warn("the member has been permanently removed from the cluster; stopping");
      Thread t = new Thread(stopMember, "roster-removed");
      t.setDaemon(true);
      t.start();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
