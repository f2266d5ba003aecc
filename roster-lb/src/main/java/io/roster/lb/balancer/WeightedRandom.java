package io.roster.lb.balancer;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/*
 * Weighted random selection by Vose's alias method (M. D. Vose, "A linear algorithm for generating
 * random numbers with a given distribution", IEEE TSE 17(9), 1991). Building the tables is O(n) when
 * the endpoints change; each pick is O(1): one uniform column, one biased coin. Endpoint i is
 * returned with probability weight_i / Σ weight exactly (up to floating point).
 *
 * Random rather than weighted round robin because, as Envoy's docs note, randomness needs no shared
 * counter and does not herd onto the host after a failed one.
 */
final class WeightedRandom implements Distributor {
  private final Node[] nodes;
  private final double[] probability;
  private final int[] alias;
  private final Supplier<RandomGenerator> random;

  WeightedRandom(Node[] nodes, Supplier<RandomGenerator> random) {
    int n = nodes.length;
    this.nodes = nodes.clone();
    this.probability = new double[n];
    this.alias = new int[n];
    this.random = random;
    double total = 0;
    for (Node node : nodes) {
      total += node.endpoint.weight();
    }
    double[] scaled = new double[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int s = 0;
    int l = 0;
    for (int i = 0; i < n; i++) {
      scaled[i] = nodes[i].endpoint.weight() * n / total;
      if (scaled[i] < 1) {
        small[s++] = i;
      } else {
        large[l++] = i;
      }
    }
    while (s > 0 && l > 0) {
      int less = small[--s];
      int more = large[--l];
      probability[less] = scaled[less];
      alias[less] = more;
      scaled[more] = scaled[more] + scaled[less] - 1;
      if (scaled[more] < 1) {
        small[s++] = more;
      } else {
        large[l++] = more;
      }
    }
    while (l > 0) {
      probability[large[--l]] = 1;
    }
    while (s > 0) {
      probability[small[--s]] = 1;
    }
  }

  @Override
  public Node pick(long now) {
    RandomGenerator rng = random.get();
    int column = rng.nextInt(nodes.length);
    return rng.nextDouble() < probability[column] ? nodes[column] : nodes[alias[column]];
  }
}
