package io.roster.server;

import io.roster.server.cluster.MemberIdentity;
import io.roster.server.cluster.MemberIds;
import io.roster.server.http.ClusterView;
import io.roster.server.metrics.ServerMetrics;
import io.roster.server.raft.Command;
import io.roster.server.raft.ExpiryTicker;
import io.roster.server.raft.Members;
import io.roster.server.raft.RaftGateway;
import io.roster.server.raft.RosterStateMachine;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Roster member: a Ratis server holding the {@link RosterStateMachine}, the gateway the
 * HTTP API proposes through, the expiry ticker, and the HTTP listener. {@link #start} returns once
 * everything listens; {@link #close} stops it all, HTTP first so that no request meets a stopped
 * Raft server.
 *
 * <p>Ids follow etcd: each member's id derives from its peer URLs and the cluster token, the
 * cluster id from the member ids ({@link MemberIds}). The Ratis peer id is the member id in hex and
 * the Raft group id derives from the cluster token, so restarting with the same flags finds the
 * same group on disk.
 */
public final class RosterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RosterServer.class);

  /** How long a starting member waits for its attributes to be in the member list. */
  private static final Duration PUBLISH_WAIT = Duration.ofSeconds(10);

  private static final SizeInBytes MAX_ENTRY = SizeInBytes.valueOf(40L << 20);

  /** Up to 3 retries 100 ms apart: for admin and other non-write requests. */
  private static final RetryPolicy CLIENT_RETRY =
      RetryPolicies.retryUpToMaximumCountWithFixedSleep(
          3, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS));

  /**
   * Forwarded writes retry every 100 ms for up to 6 s (under the gateway's 7 s and the leader's 60
   * s retry cache), whatever fails in between: a count of retries ran out in about 0.4 s, before a
   * new leader was elected, and the write, which might still commit, was then held until the
   * gateway's timeout, so a leader kill stalled clients for 7 s.
   */
  private static final RetryPolicy FORWARD_RETRY = forwardRetry();

  private static RetryPolicy forwardRetry() {
    RequestTypeDependentRetryPolicy.Builder b = RequestTypeDependentRetryPolicy.newBuilder();
    for (RaftProtos.RaftClientRequestProto.TypeCase type :
        RaftProtos.RaftClientRequestProto.TypeCase.values()) {
      if (type != RaftProtos.RaftClientRequestProto.TypeCase.WRITE) {
        b.setRetryPolicy(type, CLIENT_RETRY); // each type may be set once
      }
    }
    b.setRetryPolicy(
        RaftProtos.RaftClientRequestProto.TypeCase.WRITE,
        RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)));
    b.setTimeout(
        RaftProtos.RaftClientRequestProto.TypeCase.WRITE,
        TimeDuration.valueOf(6, TimeUnit.SECONDS));
    return b.build();
  }

  private final ServerConfig config;
  private final RaftServer raftServer;
  private final RosterStateMachine stateMachine;
  private final RaftGateway gateway;
  private final ExpiryTicker expiry;
  private final RaftClusterView cluster;
  private final HttpFrontEnd http;
  private final ServerMetrics metrics;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable MembershipAgent membership;
  private volatile boolean failed;
  private final Thread watchdog;

  private RosterServer(
      ServerConfig config,
      RaftServer raftServer,
      RosterStateMachine stateMachine,
      RaftGateway gateway,
      ExpiryTicker expiry,
      RaftClusterView cluster,
      HttpFrontEnd http,
      ServerMetrics metrics) {
    this.config = config;
    this.raftServer = raftServer;
    this.stateMachine = stateMachine;
    this.gateway = gateway;
    this.expiry = expiry;
    this.cluster = cluster;
    this.http = http;
    this.metrics = metrics;
    this.watchdog = new Thread(this::watch, "roster-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /**
   * Stops the member when its Raft division dies underneath it (a failed apply, a failed disk): a
   * member that cannot apply must not keep answering reads from a frozen store.
   */
  private void watch() {
    RaftServer.Division division;
    try {
      division = raftServer.getDivision(gateway.groupId());
    } catch (IOException e) {
      LOG.error("roster: the Raft group is gone; stopping", e);
      failed = true;
      close();
      return;
    }
    while (!closed.get()) {
      if (!division.getInfo().isAlive()) {
        LOG.error(
            "roster: the Raft server stopped unexpectedly (state {}); stopping this member",
            division.getInfo().getLifeCycleState());
        failed = true;
        close();
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops the Raft server alone, as a failing disk or apply would; for tests of the watchdog. */
  void killRaftForTest() throws IOException {
    raftServer.close();
  }

  /** Whether the member stopped because its Raft server failed, not because it was closed. */
  public boolean failed() {
    return failed;
  }

  /**
   * Starts a member: recovers the Raft log and snapshot under {@code config.dataDir()} (or formats
   * a new one), joins the group, and listens for clients.
   *
   * @throws IOException if the data directory or a port cannot be used
   */
  public static RosterServer start(ServerConfig config) throws IOException {
    String token = config.initialClusterToken();
    Map<String, Long> idsByName = new LinkedHashMap<>();
    List<RaftPeer> peers = new ArrayList<>();
    config
        .initialCluster()
        .peerUrlsByName()
        .forEach(
            (name, urls) -> {
              long id = MemberIds.memberId(urls, token);
              idsByName.put(name, id);
              URI first = URI.create(urls.get(0));
              peers.add(
                  RaftPeer.newBuilder()
                      .setId(RaftPeerId.valueOf(MemberIds.hex(id)))
                      .setAddress(first.getHost() + ":" + first.getPort())
                      .build());
            });
    MemberIdentity fromFlags =
        new MemberIdentity(
            Objects.requireNonNull(idsByName.get(config.name()), "self in initial cluster"),
            MemberIds.clusterId(idsByName.values()),
            UUID.nameUUIDFromBytes(("roster-cluster:" + token).getBytes(StandardCharsets.UTF_8)));
    MemberIdentity identity =
        MemberIdentity.loadOrCreate(config.dataDir(), fromFlags, config.initialClusterState());
    RaftGroupId groupId = RaftGroupId.valueOf(identity.groupId());
    idsByName.put(config.name(), identity.memberId());
    RaftGroup group = RaftGroup.valueOf(groupId, peers);
    RaftPeerId self = RaftPeerId.valueOf(MemberIds.hex(identity.memberId()));

    Path raftDir = config.dataDir().resolve("raft");
    Files.createDirectories(raftDir);
    Path groupDir = raftDir.resolve(groupId.getUuid().toString());
    boolean formatted = Files.exists(groupDir.resolve("current").resolve("raft-meta"));
    boolean joining = "existing".equals(config.initialClusterState());
    if (joining && !formatted && config.initialCluster().names().size() < 2) {
      throw new IllegalArgumentException(
          "--initial-cluster-state=existing joins a running cluster: --initial-cluster must also"
              + " list its members");
    }
    if (!formatted && Files.exists(groupDir)) {
      // A start that died while formatting: nothing was ever voted for or logged.
      LOG.warn("removing the unfinished Raft format in {}", groupDir);
      deleteTree(groupDir);
    }

    RaftProperties props = raftProperties(config, raftDir.toFile());
    RosterStateMachine sm = new RosterStateMachine(RosterStateMachine::systemNanos);
    RaftServer server =
        RaftServer.newBuilder()
            .setServerId(self)
            // On recovery the group's configuration comes from the log, not from the flags; a
            // joining member starts with none and waits for the leader to add it.
            .setGroup(formatted || joining ? RaftGroup.valueOf(groupId) : group)
            .setStateMachine(sm)
            .setProperties(props)
            .setOption(
                formatted ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
            .build();
    List<AutoCloseable> started = new ArrayList<>();
    try {
      server.start();
      started.add(server);
      RaftServer.Division division = server.getDivision(groupId);
      awaitLeader(division, joining && !formatted);

      Supplier<RaftClient> clients =
          () -> {
            // The configuration in force (from the log on recovery) over the flags; the flags
            // cover a member whose configuration is still empty (joining, or not yet replayed),
            // and always name this member, which the client tries first.
            Map<RaftPeerId, RaftPeer> known = new LinkedHashMap<>();
            peers.forEach(p -> known.put(p.getId(), p));
            division.getRaftConf().getAllPeers().forEach(p -> known.put(p.getId(), p));
            return RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(groupId, known.values()))
                .setProperties(props)
                .setLeaderId(self)
                .setRetryPolicy(FORWARD_RETRY)
                .build();
          };
      RaftGateway gateway =
          new RaftGateway(
              division, sm, clients, config.requestTimeout(), RosterStateMachine::systemNanos);
      started.add(gateway);
      ExpiryTicker expiry =
          new ExpiryTicker(
              500,
              () -> division.getInfo().isLeader() && division.getInfo().isLeaderReady(),
              () -> sm.store().nextExpiration(),
              () -> Math.max(RosterStateMachine.systemNanos(), sm.clock()),
              sm::clock,
              gateway::propose);
      started.add(expiry);
      RaftClusterView cluster =
          new RaftClusterView(
              config, division, sm, idsByName, identity.memberId(), identity.clusterId(), gateway);
      Command.@Nullable Bootstrap bootstrap =
          joining ? null : bootstrapRegistry(config, idsByName, identity.clusterId());
      ServerMetrics metrics =
          new ServerMetrics(
              sm::store,
              gateway::raftIndex,
              gateway::raftTerm,
              () -> division.getInfo().isLeader() ? 1 : 0,
              gateway);
      started.add(metrics);
      AtomicReference<@Nullable RosterServer> running = new AtomicReference<>();
      MembershipAgent agent =
          new MembershipAgent(
              config,
              division,
              sm,
              gateway,
              clients,
              identity.memberId(),
              bootstrap,
              () -> {
                RosterServer s = running.get();
                if (s != null) {
                  s.close();
                }
              });
      started.add(agent);
      try {
        if (!agent.awaitPublished(PUBLISH_WAIT)) {
          LOG.warn(
              "this member's name and client URLs are not in the member list after {} s;"
                  + " serving anyway",
              PUBLISH_WAIT.toSeconds());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while publishing this member", e);
      }
      HttpFrontEnd http = HttpFrontEnd.start(config, gateway, cluster, metrics);
      LOG.info(
          "roster {} started: member {} name={} cluster {} client-urls={} peer-urls={}"
              + " data-dir={}",
          RosterVersion.VERSION,
          MemberIds.hex(identity.memberId()),
          config.name(),
          MemberIds.hex(identity.clusterId()),
          config.advertiseClientUrls(),
          config.initialAdvertisePeerUrls(),
          config.dataDir().toAbsolutePath());
      RosterServer member =
          new RosterServer(config, server, sm, gateway, expiry, cluster, http, metrics);
      member.membership = agent;
      running.set(member);
      return member;
    } catch (IOException | RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (started.isEmpty()) {
        server.close();
      }
      throw e;
    }
  }

  /** The founding members as {@code --initial-cluster} names them; client URLs come by publish. */
  private static Command.Bootstrap bootstrapRegistry(
      ServerConfig config, Map<String, Long> idsByName, long clusterId) {
    List<Members.Member> members = new ArrayList<>();
    config
        .initialCluster()
        .peerUrlsByName()
        .forEach(
            (name, urls) ->
                members.add(
                    new Members.Member(
                        Objects.requireNonNull(idsByName.get(name)), name, urls, List.of())));
    return new Command.Bootstrap(clusterId, members);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /**
   * Waits until the group has a leader and this member has applied what it had committed, as etcd
   * serves clients only once its server is ready. Logs every few seconds while it waits.
   */
  private static void awaitLeader(RaftServer.Division division, boolean joining)
      throws IOException {
    long start = System.nanoTime();
    long nextLog = start + TimeUnit.SECONDS.toNanos(5);
    while (division.getInfo().getLeaderId() == null
        || division.getInfo().getLastAppliedIndex()
            < division.getRaftLog().getLastCommittedIndex()) {
      if (!division.getInfo().isAlive()) {
        throw new IOException(
            "the Raft server stopped while starting (state "
                + division.getInfo().getLifeCycleState()
                + "); see the log above");
      }
      if (System.nanoTime() > nextLog) {
        LOG.info(
            joining
                ? "waiting to be added to the cluster ({} s); add this member on a running one"
                    + " (etcdctl member add NAME PEER-URL)"
                : "waiting for a Raft leader ({} s); is a quorum of --initial-cluster up?",
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        nextLog += TimeUnit.SECONDS.toNanos(5);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for a Raft leader", e);
      }
    }
  }

  private static RaftProperties raftProperties(ServerConfig config, File raftDir) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(raftDir));
    URI peer = config.listenPeerUrls().get(0);
    GrpcConfigKeys.Server.setHost(p, peer.getHost());
    GrpcConfigKeys.Server.setPort(p, peer.getPort());
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // etcd's election timeout: a follower waits a random time in [t, 2t) before calling an
    // election; the leader sends heartbeats at half the minimum.
    long election = config.electionTimeout().toMillis();
    RaftServerConfigKeys.Rpc.setTimeoutMin(
        p, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(
        p, TimeDuration.valueOf(2 * election, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotCount());
    RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, config.snapshotCount()));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    // Only closed segments are purged after a snapshot: segments far larger than a snapshot
    // interval's worth of entries would keep the log (and a lagging member off the snapshot path).
    long segment = Math.min(32L << 20, Math.max(1L << 20, config.snapshotCount() * 1024));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(segment));
    RaftServerConfigKeys.Log.setPurgeGap(p, 1024);
    // A dead member must not pin the leader's log forever; it catches up by snapshot instead.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(
        p, Math.min(10_000, config.snapshotCount()));
    // One command may carry a 10 MiB body that decodes to up to 30 MiB of UTF-8 (each invalid byte
    // becomes U+FFFD): entries up to MAX_ENTRY must fit the log's buffers and gRPC messages.
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, MAX_ENTRY);
    RaftServerConfigKeys.Log.setWriteBufferSize(
        p, SizeInBytes.valueOf(MAX_ENTRY.getSize() + SizeInBytes.ONE_MB.getSize()));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(64L << 20));
    // The client's total retry time stays below the gateway's request timeout, and below the
    // retry cache's 60 s, so a retried write is never applied twice.
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(2, TimeUnit.SECONDS));
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 1024);
    return p;
  }

  /** The HTTP ports actually bound, in {@code --listen-client-urls} order. */
  public List<Integer> clientPorts() {
    return http.ports();
  }

  /** This member's configuration. */
  public ServerConfig config() {
    return config;
  }

  /** The replicated state machine; for tests. */
  RosterStateMachine stateMachine() {
    return stateMachine;
  }

  /** What the HTTP API reports about the cluster. */
  public ClusterView cluster() {
    return cluster;
  }

  /** Blocks until the server is closed. */
  public void awaitTermination() throws InterruptedException {
    http.awaitClose();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    watchdog.interrupt();
    MembershipAgent agent = membership;
    if (agent != null) {
      agent.close();
    }
    http.close();
    expiry.close();
    gateway.close();
    try {
      raftServer.close();
    } catch (IOException e) {
      LOG.warn("closing the Raft server", e);
    }
    metrics.close();
    LOG.info("roster stopped (store index {})", stateMachine.store().currentIndex());
  }

  static Duration defaultRequestTimeout() {
    return Duration.ofSeconds(7);
  }
}
