package io.roster.server;

import io.roster.server.cluster.MemberIds;
import io.roster.server.http.ClusterView;
import io.roster.server.metrics.ServerMetrics;
import io.roster.server.raft.ExpiryTicker;
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
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
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

  private final ServerConfig config;
  private final RaftServer raftServer;
  private final RaftClient raftClient;
  private final RosterStateMachine stateMachine;
  private final RaftGateway gateway;
  private final ExpiryTicker expiry;
  private final RaftClusterView cluster;
  private final HttpFrontEnd http;
  private final ServerMetrics metrics;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean failed;
  private final Thread watchdog;

  private RosterServer(
      ServerConfig config,
      RaftServer raftServer,
      RaftClient raftClient,
      RosterStateMachine stateMachine,
      RaftGateway gateway,
      ExpiryTicker expiry,
      RaftClusterView cluster,
      HttpFrontEnd http,
      ServerMetrics metrics) {
    this.config = config;
    this.raftServer = raftServer;
    this.raftClient = raftClient;
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
    long selfId = Objects.requireNonNull(idsByName.get(config.name()), "self in initial cluster");
    long clusterId = MemberIds.clusterId(idsByName.values());
    RaftGroupId groupId =
        RaftGroupId.valueOf(
            UUID.nameUUIDFromBytes(("roster-cluster:" + token).getBytes(StandardCharsets.UTF_8)));
    RaftGroup group = RaftGroup.valueOf(groupId, peers);

    Path raftDir = config.dataDir().resolve("raft");
    Files.createDirectories(raftDir);
    boolean exists = Files.isDirectory(raftDir.resolve(groupId.getUuid().toString()));

    RaftProperties props = raftProperties(config, raftDir.toFile());
    RosterStateMachine sm = new RosterStateMachine(RosterStateMachine::systemNanos);
    RaftServer server =
        RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf(MemberIds.hex(selfId)))
            .setGroup(group)
            .setStateMachine(sm)
            .setProperties(props)
            .setOption(
                exists ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
            .build();
    server.start();
    RaftServer.Division division = server.getDivision(groupId);
    awaitLeader(division);

    RaftClient client =
        RaftClient.newBuilder()
            .setRaftGroup(group)
            .setProperties(props)
            .setLeaderId(RaftPeerId.valueOf(MemberIds.hex(selfId)))
            .setRetryPolicy(
                RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                    60, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
            .build();
    RaftGateway gateway =
        new RaftGateway(
            division, sm, client, config.requestTimeout(), RosterStateMachine::systemNanos);
    ExpiryTicker expiry =
        new ExpiryTicker(
            500,
            () -> division.getInfo().isLeader() && division.getInfo().isLeaderReady(),
            () -> sm.store().nextExpiration(),
            RosterStateMachine::systemNanos,
            gateway::propose);
    RaftClusterView cluster =
        new RaftClusterView(config, division, sm, idsByName, selfId, clusterId, gateway);
    ServerMetrics metrics =
        new ServerMetrics(
            sm::store,
            gateway::raftIndex,
            gateway::raftTerm,
            () -> division.getInfo().isLeader() ? 1 : 0,
            gateway);
    HttpFrontEnd http;
    try {
      http = HttpFrontEnd.start(config, gateway, cluster, metrics);
    } catch (IOException | RuntimeException e) {
      metrics.close();
      expiry.close();
      gateway.close();
      client.close();
      server.close();
      throw e;
    }
    LOG.info(
        "roster {} started: member {} name={} cluster {} client-urls={} peer-urls={} data-dir={}",
        RosterVersion.VERSION,
        MemberIds.hex(selfId),
        config.name(),
        MemberIds.hex(clusterId),
        config.advertiseClientUrls(),
        config.initialAdvertisePeerUrls(),
        config.dataDir().toAbsolutePath());
    return new RosterServer(config, server, client, sm, gateway, expiry, cluster, http, metrics);
  }

  /**
   * Waits until the group has a leader and this member has applied what it had committed, as etcd
   * serves clients only once its server is ready. Logs every few seconds while it waits.
   */
  private static void awaitLeader(RaftServer.Division division) throws IOException {
    long start = System.nanoTime();
    long nextLog = start + TimeUnit.SECONDS.toNanos(5);
    while (division.getInfo().getLeaderId() == null
        || division.getInfo().getLastAppliedIndex()
            < division.getRaftLog().getLastCommittedIndex()) {
      if (System.nanoTime() > nextLog) {
        LOG.info(
            "waiting for a Raft leader ({} s); is a quorum of --initial-cluster up?",
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
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotCount());
    RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, config.snapshotCount()));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("32MB"));
    RaftServerConfigKeys.Log.setPurgeGap(p, 1024);
    RaftServerConfigKeys.Rpc.setRequestTimeout(
        p, TimeDuration.valueOf(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS));
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
    http.close();
    expiry.close();
    gateway.close();
    try {
      raftClient.close();
    } catch (IOException e) {
      LOG.warn("closing the Raft client", e);
    }
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
