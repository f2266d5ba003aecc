package io.roster.lb.sim;

import io.roster.lb.balancer.Policy;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Prints the standard comparison at 1000 requests per second for 60 s, median latency 10 ms:
 *
 * <ul>
 *   <li>10 hosts all healthy, one 10× slower, and one failing half its requests, each under round
 *       robin, P2C least-loaded and P2C peak-EWMA, plus the full stack (P2C peak-EWMA with ejection
 *       and retries);
 *   <li>one host flapping (10 s up, 10 s down) and a burst of 10 new hosts joining 10 at 20 s (3×
 *       slower for their first 10 s), under each policy with ejection and retries;
 *   <li>an outage of zone a (4 of 12 hosts in zones a, b, c; other zones 1.5× slower) from 20 s to
 *       40 s, under P2C peak-EWMA with ejection and retries but no zone preference, and under each
 *       policy preferring zone a.
 * </ul>
 *
 * Optional argument: the seed (default 1).
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  /** Entry point; writes the table to standard output. */
  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
    print(Simulation.newBuilder().seed(seed).build(), System.out);
  }

  static void print(Simulation simulation, PrintStream out) {
    List<SimPolicy> basic =
        List.of(
            SimPolicy.of(Policy.ROUND_ROBIN),
            SimPolicy.of(Policy.P2C_LEAST_LOADED),
            SimPolicy.of(Policy.P2C_PEAK_EWMA),
            SimPolicy.withResilience(Policy.P2C_PEAK_EWMA));
    List<SimPolicy> resilient =
        List.of(
            SimPolicy.withResilience(Policy.ROUND_ROBIN),
            SimPolicy.withResilience(Policy.P2C_LEAST_LOADED),
            SimPolicy.withResilience(Policy.P2C_PEAK_EWMA));
    List<SimPolicy> zoned =
        List.of(
            SimPolicy.withResilience(Policy.P2C_PEAK_EWMA),
            SimPolicy.zoneAware(Policy.ROUND_ROBIN, "a"),
            SimPolicy.zoneAware(Policy.P2C_LEAST_LOADED, "a"),
            SimPolicy.zoneAware(Policy.P2C_PEAK_EWMA, "a"));
    out.println(SimulationResult.header());
    for (Scenario scenario :
        List.of(
            Scenario.allHealthy(10), Scenario.slowHost(10, 10), Scenario.failingHost(10, 0.5))) {
      for (SimPolicy policy : basic) {
        out.println(simulation.run(scenario, policy).row());
      }
    }
    for (Scenario scenario :
        List.of(
            Scenario.flappingHost(10, Duration.ofSeconds(10)),
            Scenario.burstOfNewHosts(10, 10, Duration.ofSeconds(20), Duration.ofSeconds(10)))) {
      for (SimPolicy policy : resilient) {
        out.println(simulation.run(scenario, policy).row());
      }
    }
    Scenario outage =
        Scenario.zoneOutage(3, 4, 1.5, Duration.ofSeconds(20), Duration.ofSeconds(40));
    for (SimPolicy policy : zoned) {
      out.println(simulation.run(outage, policy).row());
    }
  }
}
