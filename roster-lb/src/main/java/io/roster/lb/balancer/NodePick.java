package io.roster.lb.balancer;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.LongSupplier;

/** A {@link Pick} on one node; the first {@link #release} wins, later ones are ignored. */
final class NodePick implements Pick {
  private static final AtomicIntegerFieldUpdater<NodePick> RELEASED =
      AtomicIntegerFieldUpdater.newUpdater(NodePick.class, "released");

  private final Node node;
  private final long startedAt;
  private final LongSupplier clock;
  private volatile int released;

  NodePick(Node node, long startedAt, LongSupplier clock) {
    this.node = node;
    this.startedAt = startedAt;
    this.clock = clock;
  }

  @Override
  public Endpoint endpoint() {
    return node.endpoint;
  }

  @Override
  public void release(ResponseClass outcome) {
    if (!RELEASED.compareAndSet(this, 0, 1)) {
      return;
    }
    long now = clock.getAsLong();
    long rtt = Math.max(0, now - startedAt);
    node.metric.end(now, rtt, outcome.isFailure());
    node.health.onResponse(rtt, outcome);
  }

  @Override
  public void abandon() {
    if (!RELEASED.compareAndSet(this, 0, 1)) {
      return;
    }
    node.metric.abandon(clock.getAsLong());
    node.health.onAbandon();
  }
}
