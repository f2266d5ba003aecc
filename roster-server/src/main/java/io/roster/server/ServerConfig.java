package io.roster.server;

import io.roster.server.cluster.InitialCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a Roster member needs to start, with etcd's flag names and meanings (see {@link
 * RosterMain} for the flags and their defaults). Immutable.
 *
 * @param name this member's name in {@code initialCluster}
 * @param dataDir where the Raft log and snapshots live
 * @param listenClientUrls where the HTTP API listens
 * @param advertiseClientUrls what {@code /v2/members} tells clients
 * @param listenPeerUrls where the Raft server listens (first URL's port)
 * @param initialAdvertisePeerUrls this member's peer URLs as the cluster knows them
 * @param initialCluster every bootstrap member and its peer URLs
 * @param initialClusterState {@code new} or {@code existing}
 * @param initialClusterToken names the cluster; part of every id
 * @param snapshotCount applied entries between automatic snapshots
 * @param requestTimeout how long a write or quorum read may wait for commit before error 300
 * @param cors allowed CORS origins ({@code *} for any)
 * @param electionTimeout a follower's shortest wait for the leader before it calls an election
 *     (etcd's {@code --election-timeout}); the wait is drawn from [t, 2t)
 */
public record ServerConfig(
    String name,
    Path dataDir,
    List<URI> listenClientUrls,
    List<URI> advertiseClientUrls,
    List<URI> listenPeerUrls,
    List<URI> initialAdvertisePeerUrls,
    InitialCluster initialCluster,
    String initialClusterState,
    String initialClusterToken,
    long snapshotCount,
    Duration requestTimeout,
    List<String> cors,
    Duration electionTimeout) {

  /** Roster's default election timeout: half of etcd's, for faster failover on a LAN. */
  public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofMillis(500);

  /** A configuration with the default election timeout. */
  public ServerConfig(
      String name,
      Path dataDir,
      List<URI> listenClientUrls,
      List<URI> advertiseClientUrls,
      List<URI> listenPeerUrls,
      List<URI> initialAdvertisePeerUrls,
      InitialCluster initialCluster,
      String initialClusterState,
      String initialClusterToken,
      long snapshotCount,
      Duration requestTimeout,
      List<String> cors) {
    this(
        name,
        dataDir,
        listenClientUrls,
        advertiseClientUrls,
        listenPeerUrls,
        initialAdvertisePeerUrls,
        initialCluster,
        initialClusterState,
        initialClusterToken,
        snapshotCount,
        requestTimeout,
        cors,
        DEFAULT_ELECTION_TIMEOUT);
  }

  public ServerConfig {
    listenClientUrls = List.copyOf(listenClientUrls);
    advertiseClientUrls = List.copyOf(advertiseClientUrls);
    listenPeerUrls = List.copyOf(listenPeerUrls);
    initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
    cors = List.copyOf(cors);
    if (listenClientUrls.isEmpty() || listenPeerUrls.isEmpty()) {
      throw new IllegalArgumentException("need at least one client and one peer URL to listen on");
    }
    if (!initialCluster.peerUrlsByName().containsKey(name)) {
      throw new IllegalArgumentException(
          "couldn't find local name \"" + name + "\" in the initial cluster configuration");
    }
    if (!"new".equals(initialClusterState) && !"existing".equals(initialClusterState)) {
      throw new IllegalArgumentException(
          "--initial-cluster-state must be \"new\" or \"existing\", got \""
              + initialClusterState
              + "\"");
    }
    if (electionTimeout.toMillis() < 50 || electionTimeout.toMillis() > 50_000) {
      throw new IllegalArgumentException("--election-timeout must be between 50 and 50000 ms");
    }
    if (snapshotCount < 1) {
      throw new IllegalArgumentException("--snapshot-count must be positive");
    }
  }
}
