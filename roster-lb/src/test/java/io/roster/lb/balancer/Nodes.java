package io.roster.lb.balancer;

import io.roster.lb.Endpoint;
import io.roster.lb.failure.FailureDetector;

/** Test nodes with a least-loaded metric and no failure detection. */
final class Nodes {
  private Nodes() {}

  static Node[] of(int n) {
    Node[] nodes = new Node[n];
    for (int i = 0; i < n; i++) {
      nodes[i] = weighted("h" + i, 1.0);
    }
    return nodes;
  }

  static Node weighted(String host, double weight) {
    Endpoint e = new Endpoint(host, 80, weight);
    return new Node(e, new LeastLoaded(), FailureDetector.none().track(e), 0, SlowStart.OFF);
  }
}
