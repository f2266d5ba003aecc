package io.roster.server;

import io.roster.server.cluster.InitialCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code roster} daemon's command line: etcd's flags with etcd's meanings and defaults, each
 * also readable from a {@code ROSTER_*} environment variable (flag wins).
 */
@Command(
    name = "roster",
    mixinStandardHelpOptions = true,
    versionProvider = RosterMain.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "A replicated service registry speaking the etcd v2 keys API.",
      "Every flag can also be set with the environment variable shown, e.g. ROSTER_NAME.",
      ""
    })
public final class RosterMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RosterMain.class);

  @Option(
      names = "--name",
      defaultValue = "${env:ROSTER_NAME:-default}",
      description =
          "Human-readable name for this member. Env ROSTER_NAME. Default: ${DEFAULT-VALUE}.")
  String name = "default";

  @Option(
      names = "--data-dir",
      defaultValue = "${env:ROSTER_DATA_DIR}",
      description =
          "Path to the data directory (Raft log, snapshots). Env ROSTER_DATA_DIR. Default: <name>.roster.")
  @Nullable String dataDir;

  @Option(
      names = "--listen-client-urls",
      split = ",",
      defaultValue = "${env:ROSTER_LISTEN_CLIENT_URLS:-http://127.0.0.1:2379}",
      description =
          "URLs to listen on for client traffic. Env ROSTER_LISTEN_CLIENT_URLS. Default: ${DEFAULT-VALUE}.")
  List<String> listenClientUrls = new ArrayList<>();

  @Option(
      names = "--advertise-client-urls",
      split = ",",
      defaultValue = "${env:ROSTER_ADVERTISE_CLIENT_URLS:-http://127.0.0.1:2379}",
      description =
          "This member's client URLs to advertise to the cluster and clients. Env ROSTER_ADVERTISE_CLIENT_URLS. Default: ${DEFAULT-VALUE}.")
  List<String> advertiseClientUrls = new ArrayList<>();

  @Option(
      names = "--listen-peer-urls",
      split = ",",
      defaultValue = "${env:ROSTER_LISTEN_PEER_URLS:-http://127.0.0.1:2380}",
      description =
          "URLs to listen on for peer (Raft) traffic. Env ROSTER_LISTEN_PEER_URLS. Default: ${DEFAULT-VALUE}.")
  List<String> listenPeerUrls = new ArrayList<>();

  @Option(
      names = "--initial-advertise-peer-urls",
      split = ",",
      defaultValue = "${env:ROSTER_INITIAL_ADVERTISE_PEER_URLS:-http://127.0.0.1:2380}",
      description =
          "This member's peer URLs to advertise to the rest of the cluster. Env ROSTER_INITIAL_ADVERTISE_PEER_URLS. Default: ${DEFAULT-VALUE}.")
  List<String> initialAdvertisePeerUrls = new ArrayList<>();

  @Option(
      names = "--initial-cluster",
      defaultValue = "${env:ROSTER_INITIAL_CLUSTER}",
      description =
          "Initial cluster configuration for bootstrapping, name=peerURL,... Env ROSTER_INITIAL_CLUSTER. Default: <name>=<initial-advertise-peer-urls>.")
  @Nullable String initialCluster;

  @Option(
      names = "--initial-cluster-state",
      defaultValue = "${env:ROSTER_INITIAL_CLUSTER_STATE:-new}",
      description =
          "Initial cluster state ('new' or 'existing'). Env ROSTER_INITIAL_CLUSTER_STATE. Default: ${DEFAULT-VALUE}.")
  String initialClusterState = "new";

  @Option(
      names = "--initial-cluster-token",
      defaultValue = "${env:ROSTER_INITIAL_CLUSTER_TOKEN:-etcd-cluster}",
      description =
          "Initial cluster token; part of every member and cluster id. Env ROSTER_INITIAL_CLUSTER_TOKEN. Default: ${DEFAULT-VALUE}.")
  String initialClusterToken = "etcd-cluster";

  @Option(
      names = "--snapshot-count",
      defaultValue = "${env:ROSTER_SNAPSHOT_COUNT:-100000}",
      description =
          "Number of committed Raft entries that triggers a snapshot. Env ROSTER_SNAPSHOT_COUNT. Default: ${DEFAULT-VALUE}.")
  long snapshotCount = 100_000;

  @Option(
      names = "--election-timeout",
      defaultValue = "${env:ROSTER_ELECTION_TIMEOUT:-500}",
      description =
          "Time (in milliseconds) a follower waits without hearing from the leader before it calls an"
              + " election; each wait is drawn from [t, 2t). etcd's default is 1000; Roster's 500 gives"
              + " faster failover on a LAN. Env ROSTER_ELECTION_TIMEOUT. Default: ${DEFAULT-VALUE}.")
  long electionTimeoutMillis = 500;

  @Option(
      names = "--cors",
      split = ",",
      defaultValue = "${env:ROSTER_CORS:-*}",
      description =
          "Comma-separated whitelist of origins for CORS. Env ROSTER_CORS. Default: ${DEFAULT-VALUE}.")
  List<String> cors = new ArrayList<>();

  @Option(
      names = "--enable-v2",
      arity = "0..1",
      defaultValue = "true",
      description = "Accepted for etcd compatibility; the v2 API is always on.")
  boolean enableV2 = true;

  /** Builds the configuration the flags describe; a bad combination throws with etcd-like text. */
  ServerConfig toConfig() {
    List<URI> advertisePeers = uris("--initial-advertise-peer-urls", initialAdvertisePeerUrls);
    String clusterFlag = initialCluster;
    if (clusterFlag == null || clusterFlag.isBlank()) {
      List<String> parts = new ArrayList<>();
      advertisePeers.forEach(u -> parts.add(name + "=" + u));
      clusterFlag = String.join(",", parts);
    }
    InitialCluster cluster = InitialCluster.parse(clusterFlag);
    List<String> mine = cluster.peerUrlsByName().get(name);
    if (mine == null) {
      throw new IllegalArgumentException(
          "couldn't find local name \"" + name + "\" in the initial cluster configuration");
    }
    List<String> advertised = new ArrayList<>();
    advertisePeers.forEach(u -> advertised.add(u.toString()));
    if (!new HashSet<>(mine).equals(new HashSet<>(advertised))) {
      throw new IllegalArgumentException(
          "--initial-cluster has "
              + name
              + "="
              + String.join(",", mine)
              + " but missing from --initial-advertise-peer-urls="
              + String.join(",", advertised));
    }
    String dir = dataDir == null || dataDir.isBlank() ? name + ".roster" : dataDir;
    return new ServerConfig(
        name,
        Path.of(dir),
        uris("--listen-client-urls", listenClientUrls),
        uris("--advertise-client-urls", advertiseClientUrls),
        uris("--listen-peer-urls", listenPeerUrls),
        advertisePeers,
        cluster,
        initialClusterState,
        initialClusterToken,
        snapshotCount,
        RosterServer.defaultRequestTimeout(),
        cors,
        Duration.ofMillis(electionTimeoutMillis));
  }

  private static List<URI> uris(String flag, List<String> values) {
    List<URI> out = new ArrayList<>();
    for (String v : values) {
      try {
        out.add(InitialCluster.PeerUrls.check(v.trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config;
    try {
      config = toConfig();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage(), e);
    }
    RosterServer server = RosterServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "roster-shutdown"));
    server.awaitTermination();
    return server.failed() ? 1 : 0;
  }

  /** Runs the daemon; exits 2 on bad flags, 1 if it cannot start. */
  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CommandLine cli = new CommandLine(new RosterMain());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          LOG.error("roster: cannot start: {}", e.getMessage(), e);
          return 1;
        });
    System.exit(cli.execute(args));
  }

  /** {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "roster " + RosterVersion.VERSION,
        "etcd API compatibility: " + RosterVersion.ETCD_SERVER + " (v2 keys API)"
      };
    }
  }
}
