package io.roster.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One single-member server (real etcd or Roster) as a child process on 127.0.0.1: its ports, its
 * temporary data directory and the log file (stdout and stderr) under the build directory. {@link
 * #restart()} reuses ports and data dir; {@link #close()} kills it and deletes the data dir.
 *
 * <p>Ready means {@code GET /health} answers 200 and one write ({@code PUT /v2/keys/_it_ready}, a
 * hidden key, so listings stay empty) succeeded. Every process is tracked by {@link ProcessReaper},
 * so it dies with the test JVM even if a test forgets to close it.
 */
abstract class ServerProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(45);
  private static final List<ServerProcess> STARTED = new CopyOnWriteArrayList<>();

  final ServerKind kind;
  final String label;
  final int clientPort;
  final int peerPort;
  final Path dataDir;
  final Path log;
  final String name;
  private final @Nullable String initialCluster;
  private @Nullable Process process;

  ServerProcess(ServerKind kind, String label, int clientPort) {
    this(kind, label, clientPort, Ports.free(), "default", null);
  }

  /**
   * A member of a multi-member cluster: {@code initialCluster} is etcd's {@code
   * name=http://127.0.0.1:PEER,…} list, which must name this member with {@code peerPort}.
   */
  ServerProcess(
      ServerKind kind,
      String label,
      int clientPort,
      int peerPort,
      String name,
      @Nullable String initialCluster) {
    this.kind = kind;
    this.label = label;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.name = name;
    this.initialCluster = initialCluster;
    try {
      this.dataDir = Files.createTempDirectory("roster-it-" + kind.name().toLowerCase() + "-");
      Files.createDirectories(logDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.log =
        logDir().resolve(label + "-" + kind.name().toLowerCase() + "-" + clientPort + ".log");
  }

  /** Starts a server of the given kind on free ports and waits until it is ready. */
  static ServerProcess start(ServerKind kind, String label) {
    return startOn(kind, label, Ports.free());
  }

  static ServerProcess startOn(ServerKind kind, String label, int clientPort) {
    ServerProcess s =
        kind == ServerKind.ETCD
            ? new EtcdProcess(label, clientPort)
            : new RosterProcess(label, clientPort);
    s.launch();
    return s;
  }

  static Path logDir() {
    return Path.of(System.getProperty("roster.it.logs", "target/it-logs")).toAbsolutePath();
  }

  /** Processes started since the last {@link #forgetStarted()}, for failure reports. */
  static List<ServerProcess> started() {
    return List.copyOf(STARTED);
  }

  static void forgetStarted() {
    STARTED.clear();
  }

  /** The command line; {@code --enable-v2} only for etcd. */
  abstract List<String> command();

  /** {@code --initial-cluster-state}: {@code existing} for a member joining a running cluster. */
  String clusterState = "new";

  final List<String> commonFlags() {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    String cluster = initialCluster;
    return List.of(
        "--initial-cluster-state",
        clusterState,
        "--name",
        name,
        "--data-dir",
        dataDir.toString(),
        "--listen-client-urls",
        client,
        "--advertise-client-urls",
        client,
        "--listen-peer-urls",
        peer,
        "--initial-advertise-peer-urls",
        peer,
        "--initial-cluster",
        cluster == null ? name + "=" + peer : cluster);
  }

  /** Starts the process and waits until it is ready. */
  final void launch() {
    spawn();
    awaitReady();
  }

  /**
   * Starts the process without waiting: members of a new cluster are spawned together, then each is
   * awaited, since none is ready before a quorum runs.
   */
  final void spawn() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(this + " is already running");
    }
    List<String> cmd = command();
    try {
      Files.writeString(
          log,
          "==== " + Instant.now() + " starting: " + String.join(" ", cmd) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      process = ProcessReaper.track(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd.get(0) + ": " + e.getMessage(), e);
    }
    if (!STARTED.contains(this)) {
      STARTED.add(this);
    }
  }

  /** Waits until {@code /health} answers 200 and a write succeeds through this member. */
  final void awaitReady() {
    EtcdV2Http http = client();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      Process p = process;
      if (p == null || !p.isAlive()) {
        fail(
            "%s exited during start-up (exit %s). Log tail:%n%s",
            this, p == null ? "?" : p.exitValue(), logTail(60));
      }
      try {
        EtcdV2Http.Reply health = http.send("GET", "/health", null);
        if (health.status() == 200) {
          EtcdV2Http.Reply w = http.send("PUT", "/v2/keys/_it_ready", "value=1");
          if (w.status() == 200 || w.status() == 201) {
            return;
          }
          last = "ready write answered " + w.status() + " " + w.body();
        } else {
          last = "/health answered " + health.status() + " " + health.body();
        }
      } catch (RuntimeException e) {
        last = e.toString();
      }
      sleep(100);
    }
    fail("%s not ready within %s (%s). Log tail:%n%s", this, READY_TIMEOUT, last, logTail(60));
  }

  EtcdV2Http client() {
    return new EtcdV2Http(baseUrl());
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + clientPort);
  }

  long pid() {
    return requireProcess().pid();
  }

  boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        ProcessReaper.kill(p);
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessReaper.kill(p);
    }
    ProcessReaper.untrack(p);
    process = null;
  }

  /** SIGKILL, no warning; waits until the process is gone. */
  void kill9() {
    Process p = requireProcess();
    ProcessReaper.kill(p);
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts again on the same ports and data dir (after {@link #stop()} or {@link #kill9()}). */
  ServerProcess restart() {
    if (isAlive()) {
      stop();
    }
    launch();
    return this;
  }

  String logTail(int lines) {
    try {
      if (!Files.exists(log)) {
        return "(no log file " + log + ")";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "---- "
          + log
          + " (last "
          + lines
          + " lines) ----\n"
          + String.join(
              "\n",
              all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                  .map(l -> l.length() > 400 ? l.substring(0, 400) + "…" : l)
                  .toList());
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    stop();
    deleteRecursively(dataDir);
  }

  private Process requireProcess() {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException(this + " is not running");
    }
    return p;
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return kind + "[" + label + " @127.0.0.1:" + clientPort + "]";
  }
}
