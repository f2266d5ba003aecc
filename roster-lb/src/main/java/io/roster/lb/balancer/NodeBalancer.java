package io.roster.lb.balancer;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.lb.Endpoint;
import io.roster.lb.Status;
import io.roster.lb.failure.FailureDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/*
 * The balancer proper, after Finagle's Balancer.scala: it owns the node array, rebuilds the
 * distributor when endpoints change, and handles health on top of whatever pick strategy it is
 * given.
 *
 * Membership: an immutable snapshot (nodes, distributor, address index) behind one volatile field.
 * update() builds the next snapshot under a lock, reusing the Node of every address that stays (so
 * load history, health and in-flight counts survive), seeding new nodes, and untracking removed
 * ones; pick() reads the field once and never locks. A request in flight on a removed node still
 * holds that node and releases into it normally.
 *
 * Health and panic (Finagle PanicMode.scala, Envoy healthy_panic_threshold): if the picked node is
 * not OPEN, pick again, up to maxEffort more times, then send to the last pick anyway. With half
 * the nodes unhealthy a P2C pick lands on two unhealthy nodes with probability 1/4, so 4 re-picks
 * leave about 0.25^5 ≈ 0.1% of requests on an unhealthy node. When more than (1 − panicThreshold)
 * of the nodes are ejected the balancer is in panic: it stops re-picking and spreads load over all
 * nodes, so that a failure does not pile everything onto the few survivors. The ejector's own cap
 * (20% by default) keeps ejection alone from reaching panic; the threshold is the backstop.
 *
 * Retries avoid the endpoints their request already tried the same way: pick(avoid) re-picks (at
 * least 3 times, as Envoy's previous_hosts predicate) while the pick is in the avoid set; if it
 * still has an avoided node (P2C favours them, since idle nodes look cheap), it scans the nodes once
 * for one that is not avoided, and only when there is none settles for what it has, so a
 * one-endpoint balancer still serves retries. The scan is O(n) but runs for a small share of
 * retries only, never for first attempts.
 */
final class NodeBalancer implements Balancer {
  /** Re-picks spent on avoiding a retry's earlier endpoints (Envoy previous_hosts uses 3). */
  private static final int MIN_AVOID_EFFORT = 3;

  private final Policy policy;
  private final LongSupplier clock;
  private final FailureDetector detector;
  private final MetricFactory metrics;
  private final Function<Node[], Distributor> distributors;
  private final SlowStart slowStart;
  private final double defaultRttNanos;
  private final double panicThreshold;
  private final int maxEffort;
  private final ReentrantLock updateLock = new ReentrantLock();
  private volatile Snapshot snapshot = Snapshot.EMPTY;

  @GuardedBy("updateLock")
  private boolean populated;

  /** Makes a fresh load metric for a node joining at {@code now}. */
  interface MetricFactory {
    LoadMetric create(long now, double seedNanos);
  }

  NodeBalancer(
      Policy policy,
      LongSupplier clock,
      FailureDetector detector,
      MetricFactory metrics,
      Function<Node[], Distributor> distributors,
      SlowStart slowStart,
      double defaultRttNanos,
      double panicThreshold,
      int maxEffort) {
    this.policy = policy;
    this.clock = clock;
    this.detector = detector;
    this.metrics = metrics;
    this.distributors = distributors;
    this.slowStart = slowStart;
    this.defaultRttNanos = defaultRttNanos;
    this.panicThreshold = panicThreshold;
    this.maxEffort = maxEffort;
  }

  @Override
  public Pick pick() {
    return pick(Set.of());
  }

  @Override
  public Pick pick(Set<String> avoid) {
    Distributor distributor = snapshot.distributor;
    if (distributor == null) {
      throw new NoEndpointsException(policy + " balancer has no endpoints");
    }
    long now = clock.getAsLong();
    Node node = distributor.pick(now);
    if (!avoid.isEmpty()) {
      int effort = Math.max(maxEffort, MIN_AVOID_EFFORT);
      for (int i = 0; i < effort && avoid.contains(node.endpoint.address()); i++) {
        node = distributor.pick(now);
      }
    }
    if (node.status() != Status.OPEN && detector.ejectedShare() <= 1 - panicThreshold) {
      for (int effort = 0;
          effort < maxEffort && (node.status() != Status.OPEN || avoided(node, avoid));
          effort++) {
        node = distributor.pick(now);
      }
    }
    if (avoided(node, avoid)) {
      node = firstNotAvoided(snapshot.nodes, avoid, now, node);
    }
    node.health.onStart();
    node.metric.start(now);
    return new NodePick(node, now, clock);
  }

  /**
   * The rare fallback when re-picking kept landing on avoided nodes (P2C favours them: idle nodes
   * look cheap): an O(n) scan, from a rotating start, for an open node not avoided, else any node
   * not avoided, else {@code fallback}.
   */
  private static Node firstNotAvoided(Node[] nodes, Set<String> avoid, long now, Node fallback) {
    int n = nodes.length;
    int start = (int) Math.floorMod(now, (long) n);
    @Nullable Node anyStatus = null;
    for (int k = 0; k < n; k++) {
      Node c = nodes[(start + k) % n];
      if (!avoided(c, avoid)) {
        if (c.status() == Status.OPEN) {
          return c;
        }
        if (anyStatus == null) {
          anyStatus = c;
        }
      }
    }
    return anyStatus != null ? anyStatus : fallback;
  }

  private static boolean avoided(Node node, Set<String> avoid) {
    return !avoid.isEmpty() && avoid.contains(node.endpoint.address());
  }

  @Override
  public void update(List<Endpoint> endpoints) {
    updateLock.lock();
    try {
      long now = clock.getAsLong();
      Snapshot old = snapshot;
      long joinedAt = populated ? now : now - slowStart.windowNanos();
      double seed = seed(old.nodes, now);
      Map<String, Node> next = new LinkedHashMap<>();
      for (Endpoint e : endpoints) {
        String address = e.address();
        if (next.containsKey(address)) {
          continue;
        }
        Node existing = old.byAddress.get(address);
        Node node;
        if (existing == null) {
          node = new Node(e, metrics.create(now, seed), detector.track(e), joinedAt, slowStart);
        } else {
          node = existing.endpoint.equals(e) ? existing : existing.withEndpoint(e);
        }
        next.put(address, node);
      }
      for (Node gone : old.nodes) {
        if (!next.containsKey(gone.endpoint.address())) {
          detector.untrack(gone.health);
        }
      }
      Node[] nodes = next.values().toArray(new Node[0]);
      snapshot = new Snapshot(nodes, nodes.length == 0 ? null : distributors.apply(nodes), next);
      populated |= nodes.length > 0;
    } finally {
      updateLock.unlock();
    }
  }

  @Override
  public List<Endpoint> endpoints() {
    List<Endpoint> out = new ArrayList<>();
    for (Node n : snapshot.nodes) {
      out.add(n.endpoint);
    }
    return List.copyOf(out);
  }

  @Override
  public Status status() {
    Status best = Status.CLOSED;
    for (Node n : snapshot.nodes) {
      best = Status.best(best, n.status());
    }
    return best;
  }

  /** Endpoints whose status is OPEN now. O(n). */
  int openCount() {
    int open = 0;
    for (Node n : snapshot.nodes) {
      if (n.status() == Status.OPEN) {
        open++;
      }
    }
    return open;
  }

  /** Median latency of the current nodes, or the default RTT when none tracks latency. */
  private double seed(Node[] nodes, long now) {
    double[] known =
        Arrays.stream(nodes)
            .mapToDouble(n -> n.metric.latencyNanos(now))
            .filter(x -> !Double.isNaN(x))
            .sorted()
            .toArray();
    if (known.length == 0) {
      return defaultRttNanos;
    }
    int mid = known.length / 2;
    return known.length % 2 == 1 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
  }

  private static final class Snapshot {
    static final Snapshot EMPTY = new Snapshot(new Node[0], null, Map.of());

    final Node[] nodes;
    final @Nullable Distributor distributor;
    final Map<String, Node> byAddress;

    Snapshot(Node[] nodes, @Nullable Distributor distributor, Map<String, Node> byAddress) {
      this.nodes = nodes;
      this.distributor = distributor;
      this.byAddress = byAddress;
    }
  }
}
