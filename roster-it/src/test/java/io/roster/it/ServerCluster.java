package io.roster.it;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-member cluster of real server processes (Roster or etcd 3.4) on 127.0.0.1, bootstrapped
 * the etcd way from {@code --initial-cluster a=http://127.0.0.1:P1,b=…}. Members are spawned
 * together and then awaited (none is ready before a quorum runs). {@link ServerProcess#kill9()} and
 * {@link ServerProcess#restart()} on a member act on that member only; {@link #close()} kills all
 * and deletes their data.
 */
final class ServerCluster implements AutoCloseable {
  final ServerKind kind;
  final List<ServerProcess> members;

  private ServerCluster(ServerKind kind, List<ServerProcess> members) {
    this.kind = kind;
    this.members = List.copyOf(members);
  }

  /** Starts {@code size} members named m0, m1, … and waits until each serves writes. */
  static ServerCluster start(ServerKind kind, String label, int size) {
    List<Integer> clientPorts = new ArrayList<>();
    List<Integer> peerPorts = new ArrayList<>();
    StringBuilder initial = new StringBuilder();
    for (int i = 0; i < size; i++) {
      clientPorts.add(Ports.free());
      int peer = Ports.free();
      peerPorts.add(peer);
      initial
          .append(i == 0 ? "" : ",")
          .append("m")
          .append(i)
          .append("=http://127.0.0.1:")
          .append(peer);
    }
    List<ServerProcess> members = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        ServerProcess m =
            kind == ServerKind.ETCD
                ? new EtcdProcess(
                    label + "-m" + i,
                    clientPorts.get(i),
                    peerPorts.get(i),
                    "m" + i,
                    initial.toString())
                : new RosterProcess(
                    label + "-m" + i,
                    clientPorts.get(i),
                    peerPorts.get(i),
                    "m" + i,
                    initial.toString());
        members.add(m);
        m.spawn();
      }
      for (ServerProcess m : members) {
        m.awaitReady();
      }
    } catch (RuntimeException | AssertionError e) {
      for (ServerProcess m : members) {
        m.close();
      }
      throw e;
    }
    return new ServerCluster(kind, members);
  }

  /**
   * Waits until every member answers a quorum read ({@code GET /v2/keys/?quorum=true}) with 200 and
   * returns how long each took from the call, in member order. A fresh Roster member's first quorum
   * read can take seconds (a server issue, reported); caches start with one.
   */
  List<Duration> awaitQuorumReads() {
    List<Duration> took = new ArrayList<>();
    for (ServerProcess m : members) {
      long t0 = System.nanoTime();
      EtcdV2Http http = new EtcdV2Http(m.baseUrl(), Duration.ofSeconds(30));
      Await.until(
          Duration.ofSeconds(60),
          m + " never answered a quorum read",
          () -> {
            try {
              return http.send("GET", "/v2/keys/?quorum=true", null).status() == 200;
            } catch (RuntimeException e) {
              return false;
            }
          });
      took.add(Duration.ofNanos(System.nanoTime() - t0));
    }
    return took;
  }

  ServerProcess member(int i) {
    return members.get(i);
  }

  /** Every member's client URL, in member order. */
  List<URI> clientUrls() {
    return members.stream().map(ServerProcess::baseUrl).toList();
  }

  /** The member that is Raft leader now, by {@code GET /v2/stats/self}; waits up to 20 s. */
  ServerProcess awaitLeader() {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (ServerProcess m : members) {
        if (!m.isAlive()) {
          continue;
        }
        try {
          EtcdV2Http.Reply r = m.client().send("GET", "/v2/stats/self", null);
          if (r.status() == 200 && "StateLeader".equals(r.json().path("state").asText())) {
            return m;
          }
        } catch (RuntimeException e) {
          // not answering yet
        }
      }
      ServerProcess.sleep(50);
    }
    throw new AssertionError("no leader among " + members + " within 20 s");
  }

  @Override
  public void close() {
    for (ServerProcess m : members) {
      m.close();
    }
  }

  @Override
  public String toString() {
    return kind + " cluster " + members;
  }
}
