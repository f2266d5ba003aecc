package io.roster.it.fault;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One cluster member: {@code io.roster.server.RosterMain} in a child JVM with the test class path,
 * its client port, its real peer port ({@code --listen-peer-urls}), the port of the {@link
 * PeerProxy} the others reach it through ({@code --initial-cluster}), its data dir and its log.
 *
 * <p>The child is {@code java} itself (no shell in between), so {@link Process#pid()} is the JVM
 * that {@link #kill9()}, {@link #pause()} and {@link #resume()} signal. Every child is killed by a
 * shutdown hook if a test forgets. Not thread-safe: one test thread drives a member.
 */
final class Member {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(p -> p.destroyForcibly()), "roster-fault-reaper"));
  }

  final String name;
  final int clientPort;
  final int peerPort;
  final int proxyPort;
  final Path dataDir;
  final Path log;
  private @Nullable Process process;
  private boolean paused;
  private int starts;

  Member(String name, int clientPort, int peerPort, int proxyPort, Path dataDir, Path log) {
    this.name = name;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.proxyPort = proxyPort;
    this.dataDir = dataDir;
    this.log = log;
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + clientPort);
  }

  /**
   * {@code name=http://127.0.0.1:<proxy port>}, this member's part of {@code --initial-cluster}.
   */
  String initialClusterEntry() {
    return name + "=http://127.0.0.1:" + proxyPort;
  }

  /** Starts the JVM (returns at once; the member serves once a quorum is up). */
  void start(String initialCluster, String token) {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = ClassPathSnapshot.get();
    String client = "http://127.0.0.1:" + clientPort;
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            java,
            "-Xms64m",
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
            "-cp",
            cp,
            "io.roster.server.RosterMain",
            "--name",
            name,
            "--data-dir",
            dataDir.toString(),
            "--listen-client-urls",
            client,
            "--advertise-client-urls",
            client,
            "--listen-peer-urls",
            "http://127.0.0.1:" + peerPort,
            "--initial-advertise-peer-urls",
            "http://127.0.0.1:" + proxyPort,
            "--initial-cluster",
            initialCluster,
            "--initial-cluster-token",
            token,
            "--initial-cluster-state",
            "new"));
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "==== " + Instant.now() + " start " + ++starts + ": " + String.join(" ", cmd) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Process p = pb.start();
      LIVE.add(p);
      process = p;
      paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start member " + name, e);
    }
  }

  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  boolean paused() {
    return paused;
  }

  /** Running and not stopped by SIGSTOP. */
  boolean up() {
    return alive() && !paused;
  }

  long pid() {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException(name + " is not running");
    }
    return p.pid();
  }

  /** SIGKILL to the JVM (no shutdown hooks run); waits until it is gone. */
  void kill9() {
    Process p = process;
    if (p == null) {
      return;
    }
    ProcessHandle h = p.toHandle();
    if (!h.info().command().map(c -> c.endsWith("/java")).orElse(true)) {
      throw new IllegalStateException(name + ": pid " + p.pid() + " is not a java process");
    }
    p.destroyForcibly();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException(name + " survived SIGKILL for 20 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LIVE.remove(p);
    process = null;
    paused = false;
  }

  /** SIGSTOP: the JVM freezes, its sockets stay open. */
  void pause() {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT. */
  void resume() {
    if (paused && alive()) {
      signal("CONT");
    }
    paused = false;
  }

  private void signal(String sig) {
    long pid = pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The JVM's thread dump ({@code jcmd <pid> Thread.print}), for failure reports. */
  String threadDump() {
    if (!alive()) {
      return "(not running)";
    }
    try {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "Thread.print")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(20, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "(jcmd failed: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "---- "
          + log
          + " ----\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log " + log + ": " + e + ")";
    }
  }

  @Override
  public String toString() {
    return name + "@" + clientPort;
  }
}
