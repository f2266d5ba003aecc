package io.roster.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 3- or 5-member Roster cluster of child JVMs on 127.0.0.1, each behind its own {@link
 * PeerProxy}, with the faults the tests inject: kill -9 and restart on the same data dir,
 * SIGSTOP/SIGCONT, and symmetric partitions between members. {@link #healAll} undoes every fault
 * and waits until every member serves; {@link #awaitConvergence} compares full dumps.
 *
 * <p>Not thread-safe: one test thread (the nemesis) drives it; clients only read {@link
 * #members()}.
 */
final class FaultCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultCluster.class);
  private static final Set<Integer> PORTS = ConcurrentHashMap.newKeySet();
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final List<Member> members;
  private final Map<String, PeerProxy> proxies = new LinkedHashMap<>();
  private final String initialCluster;
  private final String token;
  private final Path root;
  private final MemberHttp http = new MemberHttp();

  private FaultCluster(List<Member> members, String token, Path root) {
    this.members = List.copyOf(members);
    this.token = token;
    this.root = root;
    this.initialCluster =
        String.join(",", members.stream().map(Member::initialClusterEntry).toList());
    for (Member m : members) {
      proxies.put(
          m.name,
          new PeerProxy(
              m.name,
              m.proxyPort,
              m.peerPort,
              port -> SocketOwners.connectingProcess(port, m.proxyPort, pids())));
    }
  }

  /** Starts {@code size} members named a, b, c, … and waits until each serves writes. */
  static FaultCluster start(int size, String label) {
    Path root;
    try {
      root = Files.createTempDirectory("roster-fault-" + label + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path logs =
        Path.of(System.getProperty("roster.it.logs", "target/it-logs"), "fault").toAbsolutePath();
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String name = String.valueOf((char) ('a' + i));
      int client = freePort();
      members.add(
          new Member(
              name,
              client,
              freePort(),
              freePort(),
              root.resolve(name),
              logs.resolve(label + "-" + name + "-" + client + ".log")));
    }
    FaultCluster c = new FaultCluster(members, "fault-" + label, root);
    try {
      for (Member m : members) {
        m.start(c.initialCluster, c.token);
      }
      c.awaitAllServing(READY_TIMEOUT);
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static int freePort() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (PORTS.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port");
  }

  List<Member> members() {
    return members;
  }

  Member member(String name) {
    return members.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
  }

  /** Pids of the running members, by name (for {@link SocketOwners}). */
  private Map<String, Long> pids() {
    Map<String, Long> out = new HashMap<>();
    for (Member m : members) {
      try {
        if (m.alive()) {
          out.put(m.name, m.pid());
        }
      } catch (IllegalStateException racedWithKill) {
        // not running any more
      }
    }
    return out;
  }

  PeerProxy proxy(String name) {
    PeerProxy p = proxies.get(name);
    if (p == null) {
      throw new IllegalArgumentException(name);
    }
    return p;
  }

  // ---- faults ----

  void kill(Member m) {
    LOG.info("fault: kill -9 {} (pid {})", m, m.alive() ? m.pid() : -1);
    m.kill9();
  }

  /** Starts a killed member again on its data dir; does not wait for it. */
  void restart(Member m) {
    LOG.info("heal: restart {}", m);
    m.start(initialCluster, token);
  }

  void pause(Member m) {
    LOG.info("fault: SIGSTOP {} (pid {})", m, m.pid());
    m.pause();
  }

  void resume(Member m) {
    LOG.info("heal: SIGCONT {}", m);
    m.resume();
  }

  /** Cuts every connection between each member of {@code side} and each member not in it. */
  void partition(List<Member> side) {
    LOG.info("fault: partition {} | the rest", side);
    for (Member a : side) {
      for (Member b : members) {
        if (!side.contains(b)) {
          proxy(b.name).block(a.name);
          proxy(a.name).block(b.name);
        }
      }
    }
  }

  void healPartitions() {
    LOG.info("heal: partitions");
    proxies.values().forEach(PeerProxy::unblockAll);
  }

  /** Resumes, restarts and reconnects everything, then waits until every member serves. */
  void healAll() {
    healPartitions();
    for (Member m : members) {
      if (m.paused()) {
        resume(m);
      }
    }
    for (Member m : members) {
      if (!m.alive()) {
        restart(m);
      }
    }
    awaitAllServing(READY_TIMEOUT);
  }

  // ---- observation ----

  /** The leader's name as {@code /v2/members/leader} on a majority of the members that answer. */
  Optional<Member> leader() {
    Map<String, Integer> votes = new HashMap<>();
    for (Member m : members) {
      if (!m.up()) {
        continue;
      }
      MemberHttp.Reply r =
          http.trySend(m.base(), "GET", "/v2/members/leader", null, Duration.ofSeconds(2));
      if (r != null && r.status() == 200) {
        votes.merge(r.json().path("name").asText(), 1, Integer::sum);
      }
    }
    return votes.entrySet().stream()
        .filter(e -> e.getValue() > members.size() / 2)
        .map(e -> member(e.getKey()))
        .findFirst();
  }

  /** The member whose {@code /v2/stats/self} says {@code StateLeader}, if exactly one does. */
  Optional<Member> selfProclaimedLeader(List<Member> among) {
    List<Member> leaders = new ArrayList<>();
    for (Member m : among) {
      if (!m.up()) {
        continue;
      }
      MemberHttp.Reply r =
          http.trySend(m.base(), "GET", "/v2/stats/self", null, Duration.ofSeconds(2));
      if (r != null && r.status() == 200 && "StateLeader".equals(r.json().path("state").asText())) {
        leaders.add(m);
      }
    }
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  /** Waits until every member answers a hidden write and a quorum read. */
  void awaitAllServing(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Member m : members) {
      String last = "no answer";
      while (true) {
        if (!m.alive()) {
          throw new AssertionError(m + " exited while starting:\n" + m.logTail(40));
        }
        MemberHttp.Reply w =
            http.trySend(
                m.base(),
                "PUT",
                "/v2/keys/_fault_ready",
                "value=" + m.name,
                Duration.ofSeconds(10));
        if (w != null && (w.status() == 200 || w.status() == 201)) {
          break;
        }
        last = String.valueOf(w);
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              m
                  + " does not serve writes after "
                  + timeout
                  + " ("
                  + last
                  + ")\n"
                  + m.logTail(40)
                  + "\n---- thread dump of "
                  + m
                  + " ----\n"
                  + m.threadDump());
        }
        sleep(200);
      }
    }
  }

  /** One member's full recursive dump of {@code /} with the index it was taken at. */
  record Dump(String member, long etcdIndex, JsonNode node) {}

  /**
   * Waits until every member reports the same {@code X-Etcd-Index} and then compares their full
   * recursive dumps of {@code /} (plain, local GETs, with createdIndex and modifiedIndex).
   *
   * @throws AssertionError if the members do not converge within {@code timeout}, or if their dumps
   *     differ at the same index
   */
  Map<String, Dump> awaitConvergence(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    int sameIndexDifferentDump = 0;
    while (true) {
      Map<String, Dump> dumps = new LinkedHashMap<>();
      for (Member m : members) {
        MemberHttp.Reply r =
            http.trySend(
                m.base(),
                "GET",
                "/v2/keys/?recursive=true&sorted=true",
                null,
                Duration.ofSeconds(20));
        if (r != null && r.status() == 200) {
          dumps.put(m.name, new Dump(m.name, r.etcdIndex(), r.json().path("node")));
        }
      }
      if (dumps.size() == members.size()) {
        long first = dumps.values().iterator().next().etcdIndex();
        boolean sameIndex = dumps.values().stream().allMatch(d -> d.etcdIndex() == first);
        if (sameIndex) {
          JsonNode ref = dumps.values().iterator().next().node();
          List<String> differ =
              dumps.values().stream().filter(d -> !d.node().equals(ref)).map(Dump::member).toList();
          if (differ.isEmpty()) {
            return dumps;
          }
          if (++sameIndexDifferentDump >= 3) {
            StringBuilder b = new StringBuilder("members diverged at index " + first + ":");
            dumps
                .values()
                .forEach(d -> b.append("\n  ").append(d.member()).append(": ").append(d.node()));
            throw new AssertionError(b.toString());
          }
        }
        last =
            "indexes "
                + dumps.values().stream().map(d -> d.member() + "=" + d.etcdIndex()).toList();
      } else {
        last = "only " + dumps.keySet() + " answered";
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("members did not converge within " + timeout + ": " + last);
      }
      sleep(250);
    }
  }

  String logTails(int lines) {
    StringBuilder b = new StringBuilder();
    for (Member m : members) {
      b.append(m.logTail(lines)).append('\n');
    }
    return b.toString();
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
  public void close() {
    for (Member m : members) {
      try {
        if (m.paused()) {
          m.resume();
        }
        m.kill9();
      } catch (RuntimeException e) {
        LOG.warn("stopping {}", m, e);
      }
    }
    proxies.values().forEach(PeerProxy::close);
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("cannot delete {}", root, e);
    }
  }

  static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
