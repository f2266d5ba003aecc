package io.roster.lb.balancer;

import io.roster.lb.Endpoint;
import io.roster.lb.Status;
import io.roster.lb.failure.EndpointHealth;

/**
 * An endpoint as a balancer holds it: its load metric, its health, and when it joined (for slow
 * start). Immutable apart from the thread-safe metric and health it points to.
 */
final class Node {
  final Endpoint endpoint;
  final LoadMetric metric;
  final EndpointHealth health;
  private final long joinedAt;
  private final SlowStart slowStart;

  Node(Endpoint endpoint, LoadMetric metric, EndpointHealth health, long joinedAt, SlowStart s) {
    this.endpoint = endpoint;
    this.metric = metric;
    this.health = health;
    this.joinedAt = joinedAt;
    this.slowStart = s;
  }

  /** The same node under a new endpoint record (a weight change), keeping its state. */
  Node withEndpoint(Endpoint e) {
    return new Node(e, metric, health, joinedAt, slowStart);
  }

  Status status() {
    return health.status();
  }

  /** Load per unit of effective weight: what P2C compares. */
  double cost(long now) {
    return metric.load(now) / (endpoint.weight() * slowStart.factor(now - joinedAt));
  }
}
