package io.roster.lb.sim;

import io.roster.lb.balancer.Policy;
import java.io.PrintStream;
import java.util.List;

/**
 * Prints the standard comparison: 10 hosts at 1000 requests per second for 60 s, median latency 10
 * ms; an all-healthy baseline, one host 10× slower, and one host failing half its requests; each
 * under round robin, P2C least-loaded and P2C peak-EWMA, plus the full stack (P2C peak-EWMA with
 * ejection and retries). Optional argument: the seed (default 1).
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  /** Entry point; writes the table to standard output. */
  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
    print(Simulation.newBuilder().seed(seed).build(), System.out);
  }

  static void print(Simulation simulation, PrintStream out) {
    List<SimPolicy> policies =
        List.of(
            SimPolicy.of(Policy.ROUND_ROBIN),
            SimPolicy.of(Policy.P2C_LEAST_LOADED),
            SimPolicy.of(Policy.P2C_PEAK_EWMA),
            SimPolicy.withResilience(Policy.P2C_PEAK_EWMA));
    out.println(SimulationResult.header());
    for (Scenario scenario :
        List.of(
            Scenario.allHealthy(10), Scenario.slowHost(10, 10), Scenario.failingHost(10, 0.5))) {
      for (SimPolicy policy : policies) {
        out.println(simulation.run(scenario, policy).row());
      }
    }
  }
}
