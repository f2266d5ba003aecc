package io.roster.lb.balancer;

import io.roster.lb.Status;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/*
 * Power of two choices (Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing",
 * IEEE TPDS 12(10), 2001; Finagle p2c/P2CPick.scala). Pick two distinct nodes uniformly at random;
 * prefer the one with the better status; between equals, take the lower cost (load per unit of
 * effective weight). With one random choice the busiest of n servers carries about ln n / ln ln n;
 * with two, ln ln n / ln 2 + O(1), and more choices only buy a constant factor. Two random indices
 * and two cost reads make each pick O(1) with no shared mutable state, unlike a heap or a
 * round-robin counter.
 *
 * Distinct indices without rejection sampling: draw a in [0, n) and b in [0, n − 1), then shift b
 * past a. Ties in cost go to the first draw, which is itself uniform.
 */
final class P2c implements Distributor {
  private final Node[] nodes;
  private final Supplier<RandomGenerator> random;

  P2c(Node[] nodes, Supplier<RandomGenerator> random) {
    this.nodes = nodes.clone();
    this.random = random;
  }

  @Override
  public Node pick(long now) {
    int n = nodes.length;
    if (n == 1) {
      return nodes[0];
    }
    RandomGenerator rng = random.get();
    int i = rng.nextInt(n);
    int j = rng.nextInt(n - 1);
    if (j >= i) {
      j++;
    }
    Node a = nodes[i];
    Node b = nodes[j];
    Status sa = a.status();
    Status sb = b.status();
    if (sa != sb) {
      return Status.best(sa, sb) == sa ? a : b;
    }
    return a.cost(now) <= b.cost(now) ? a : b;
  }
}
