package io.roster.lb.failure;

import java.util.Arrays;
import java.util.Comparator;

/*
 * Latency-outlier detection, the gap no anchor system fills (Envoy #288, open since 2016;
 * client-resilience.md §8 gap 1). A host that answers 200 but ten times slower than its peers is a
 * gray failure: success-rate rules never see it and peak EWMA only steers traffic away from it
 * softly (and not at all under round robin or with few requests in flight).
 *
 * Rule: a host is slow in an interval if its mean latency exceeds factor × the median of its
 * peers' means, where peers are the other hosts with enough requests in that interval. Comparing
 * against the median of the *others* keeps one slow host from dragging its own yardstick up, and
 * the median keeps a second slow host from doing the same. Guards: fewer than minHosts eligible
 * hosts means nothing is slow (three hosts at least, so "peers" is a real majority), and the caller
 * ejects only after several slow intervals in a row and within the ejected-share cap.
 *
 * Cost: one sort per sweep, O(n log n) every interval (10 s by default), off the pick path.
 */
final class LatencyOutliers {
  private LatencyOutliers() {}

  /**
   * For each host, whether it is slow. {@code means[i]} is NaN for a host without enough data; such
   * hosts are never slow and are not anyone's peer.
   */
  static boolean[] slow(double[] means, double factor, int minHosts) {
    boolean[] slow = new boolean[means.length];
    Integer[] order =
        java.util.stream.IntStream.range(0, means.length)
            .filter(i -> !Double.isNaN(means[i]))
            .boxed()
            .toArray(Integer[]::new);
    int m = order.length;
    if (m < Math.max(2, minHosts)) {
      return slow;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> means[i]));
    double[] sorted = new double[m];
    for (int k = 0; k < m; k++) {
      sorted[k] = means[order[k]];
    }
    for (int p = 0; p < m; p++) {
      int host = order[p];
      slow[host] = means[host] > factor * medianWithout(sorted, p);
    }
    return slow;
  }

  /** Median of {@code sorted} with the element at {@code skip} removed; needs length ≥ 2. */
  static double medianWithout(double[] sorted, int skip) {
    int r = sorted.length - 1;
    int k = r / 2;
    if (r % 2 == 1) {
      return at(sorted, skip, k);
    }
    return (at(sorted, skip, k - 1) + at(sorted, skip, k)) / 2;
  }

  private static double at(double[] sorted, int skip, int j) {
    return j < skip ? sorted[j] : sorted[j + 1];
  }
}
