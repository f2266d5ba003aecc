package io.roster.lb.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A set of simulated hosts. Each host answers after a lognormal latency — the simulation's median
 * latency × the host's {@code latencyFactor}, with the simulation's spread — and fails each request
 * with probability {@code errorRate}. Immutable.
 *
 * @param name a short label for printing
 * @param hosts one entry per host, at least one
 */
public record Scenario(String name, List<Host> hosts) {

  /** One simulated host. */
  public record Host(double latencyFactor, double errorRate) {
    /**
     * @throws IllegalArgumentException if the factor is not positive or the rate not in [0, 1]
     */
    public Host {
      if (!(latencyFactor > 0) || !(errorRate >= 0 && errorRate <= 1)) {
        throw new IllegalArgumentException("need latencyFactor > 0 and errorRate in [0, 1]");
      }
    }
  }

  /**
   * @throws IllegalArgumentException if there are no hosts
   */
  public Scenario {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a scenario needs hosts");
    }
    hosts = List.copyOf(hosts);
  }

  /** {@code n} identical healthy hosts: the baseline. */
  public static Scenario allHealthy(int n) {
    return new Scenario("all healthy", Collections.nCopies(n, new Host(1, 0)));
  }

  /** {@code n} hosts, one of them {@code factor} times slower than the rest. */
  public static Scenario slowHost(int n, double factor) {
    List<Host> hosts = new ArrayList<>(Collections.nCopies(n, new Host(1, 0)));
    hosts.set(0, new Host(factor, 0));
    return new Scenario("one slow host (" + fmt(factor) + "x)", hosts);
  }

  /** {@code n} hosts, one of them failing a share {@code errorRate} of its requests. */
  public static Scenario failingHost(int n, double errorRate) {
    List<Host> hosts = new ArrayList<>(Collections.nCopies(n, new Host(1, 0)));
    hosts.set(0, new Host(1, errorRate));
    return new Scenario("one failing host (" + fmt(errorRate * 100) + "% errors)", hosts);
  }

  private static String fmt(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
  }
}
