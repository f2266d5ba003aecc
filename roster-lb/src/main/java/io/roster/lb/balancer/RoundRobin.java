package io.roster.lb.balancer;

import java.util.concurrent.atomic.AtomicLong;

/*
 * Round robin: a shared counter modulo the node count (Finagle roundRobin(), Envoy ROUND_ROBIN
 * with equal weights). Even under steady, uniform traffic, and oblivious to everything else: a
 * host ten times slower still gets 1/n of the requests, which is why its tail is the worst in the
 * simulator. Health is handled by the balancer's re-pick loop. One atomic increment per pick; under
 * heavy contention this counter is the hot spot, which P2C avoids.
 */
final class RoundRobin implements Distributor {
  private final Node[] nodes;
  private final AtomicLong next = new AtomicLong();

  RoundRobin(Node[] nodes, long start) {
    this.nodes = nodes.clone();
    this.next.set(start);
  }

  @Override
  public Node pick(long now) {
    return nodes[(int) Math.floorMod(next.getAndIncrement(), (long) nodes.length)];
  }
}
