package io.roster.lb.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.balancer.Policy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class SimulationTest {
  private final Simulation simulation =
      Simulation.newBuilder().seed(12345).duration(Duration.ofSeconds(30)).build();

  @Test
  void slowHost_p99_ewmaBeatsLeastLoadedBeatsRoundRobin() {
    Scenario slow = Scenario.slowHost(10, 10);

    long rr = simulation.run(slow, SimPolicy.of(Policy.ROUND_ROBIN)).p99Micros();
    long ll = simulation.run(slow, SimPolicy.of(Policy.P2C_LEAST_LOADED)).p99Micros();
    long ewma = simulation.run(slow, SimPolicy.of(Policy.P2C_PEAK_EWMA)).p99Micros();

    assertThat(ewma).isLessThan(ll);
    assertThat(ll).isLessThan(rr);
  }

  @Test
  void slowHost_ewmaP99_within20PercentOfHealthy() {
    long healthy =
        simulation.run(Scenario.allHealthy(10), SimPolicy.of(Policy.P2C_PEAK_EWMA)).p99Micros();
    long slow =
        simulation.run(Scenario.slowHost(10, 10), SimPolicy.of(Policy.P2C_PEAK_EWMA)).p99Micros();

    assertThat(slow).isLessThanOrEqualTo((long) (healthy * 1.2));
  }

  @Test
  void failingHost_ewmaWithEjectionAndRetries_keeps999PerMille() {
    SimulationResult r =
        simulation.run(
            Scenario.failingHost(10, 0.5), SimPolicy.withResilience(Policy.P2C_PEAK_EWMA));

    assertThat(r.successRate()).isGreaterThanOrEqualTo(0.999);
    assertThat(r.retries()).isPositive();
  }

  @Test
  void failingHost_withoutRetries_losesRequests() {
    SimulationResult r =
        simulation.run(Scenario.failingHost(10, 0.5), SimPolicy.of(Policy.P2C_PEAK_EWMA));

    assertThat(r.successRate()).isLessThan(0.99);
    assertThat(r.retries()).isZero();
  }

  @Test
  void run_sameSeed_sameResult() {
    Scenario s = Scenario.slowHost(10, 10);
    SimPolicy p = SimPolicy.withResilience(Policy.P2C_PEAK_EWMA);

    assertThat(simulation.run(s, p)).isEqualTo(simulation.run(s, p));
  }

  @Test
  void run_requestCount_matchesRateTimesDuration() {
    SimulationResult r =
        Simulation.newBuilder()
            .seed(1)
            .requestsPerSecond(200)
            .duration(Duration.ofSeconds(10))
            .build()
            .run(Scenario.allHealthy(3), SimPolicy.of(Policy.ROUND_ROBIN));

    assertThat(r.requests()).isBetween(1800L, 2200L);
    assertThat(r.successRate()).isEqualTo(1.0);
  }

  @Test
  void main_printsAllScenariosAndPolicies() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SimulatorMain.print(
        Simulation.newBuilder().duration(Duration.ofSeconds(2)).build(),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out.lines()).hasSize(1 + 3 * 4 + 2 * 3 + 4);
    assertThat(out).contains("one slow host (10x)", "one failing host (50% errors)");
    assertThat(out).contains("one flapping host (10s)", "burst of 10 new hosts", "zone a outage");
    assertThat(out).contains("p2c-peak-ewma + eject + retry + zone");
    assertThat(out).contains("round-robin", "p2c-least-loaded", "p2c-peak-ewma + eject + retry");
  }

  @Test
  void flappingHost_ejectionAndRetries_keepSuccessHigh() {
    Scenario flapping = Scenario.flappingHost(10, Duration.ofSeconds(5));

    SimulationResult rr = simulation.run(flapping, SimPolicy.of(Policy.ROUND_ROBIN));
    SimulationResult bare = simulation.run(flapping, SimPolicy.of(Policy.P2C_PEAK_EWMA));
    SimulationResult full =
        simulation.run(flapping, SimPolicy.withResilience(Policy.P2C_PEAK_EWMA));

    assertThat(rr.successRate()).isLessThan(bare.successRate());
    assertThat(bare.successRate()).isLessThan(0.999);
    assertThat(full.successRate()).isGreaterThanOrEqualTo(0.999);
    assertThat(full.ejections()).isPositive();
  }

  @Test
  void flappingHost_downHalfTheTime_failsAboutAQuarterOfItsShareWithoutHelp() {
    SimulationResult rr =
        simulation.run(
            Scenario.flappingHost(10, Duration.ofSeconds(5)), SimPolicy.of(Policy.ROUND_ROBIN));

    assertThat(1 - rr.successRate()).isBetween(0.03, 0.07);
  }

  @Test
  void burstOfColdHosts_ewmaTailBelowRoundRobin_noFailures() {
    Scenario burst =
        Scenario.burstOfNewHosts(10, 10, Duration.ofSeconds(10), Duration.ofSeconds(10));

    SimulationResult rr = simulation.run(burst, SimPolicy.withResilience(Policy.ROUND_ROBIN));
    SimulationResult ewma = simulation.run(burst, SimPolicy.withResilience(Policy.P2C_PEAK_EWMA));

    assertThat(ewma.successRate()).isEqualTo(1.0);
    assertThat(ewma.p99Micros()).isLessThan(rr.p99Micros());
  }

  @Test
  void zoneOutage_zoneAwareFailsOver_andPrefersLocalOtherwise() {
    Scenario outage =
        Scenario.zoneOutage(3, 4, 1.5, Duration.ofSeconds(10), Duration.ofSeconds(20));

    SimulationResult flat = simulation.run(outage, SimPolicy.withResilience(Policy.P2C_PEAK_EWMA));
    SimulationResult zoned = simulation.run(outage, SimPolicy.zoneAware(Policy.P2C_PEAK_EWMA, "a"));
    SimulationResult zonedNoOutage =
        simulation.run(
            Scenario.zoneOutage(3, 4, 1.5, Duration.ZERO, Duration.ZERO),
            SimPolicy.zoneAware(Policy.P2C_PEAK_EWMA, "a"));
    SimulationResult flatNoOutage =
        simulation.run(
            Scenario.zoneOutage(3, 4, 1.5, Duration.ZERO, Duration.ZERO),
            SimPolicy.withResilience(Policy.P2C_PEAK_EWMA));

    assertThat(zoned.successRate()).isGreaterThanOrEqualTo(0.999);
    assertThat(flat.successRate()).isLessThan(zoned.successRate());
    assertThat(zonedNoOutage.p50Micros()).isLessThan(flatNoOutage.p50Micros());
  }

  @Test
  void scenario_rejectsBadHosts() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new Scenario.Host(
                    1,
                    0,
                    null,
                    Duration.ZERO,
                    Duration.ZERO,
                    Duration.ZERO,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Scenario.Host(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eventQueue_sameTime_runsInScheduleOrder() {
    EventQueue q = new EventQueue();
    StringBuilder order = new StringBuilder();
    q.schedule(5, () -> order.append('b'));
    q.schedule(1, () -> order.append('a'));
    q.schedule(5, () -> order.append('c'));

    assertThat(q.runAll()).isEqualTo(3);
    assertThat(order.toString()).isEqualTo("abc");
    assertThat(q.getAsLong()).isEqualTo(5);
  }
}
