package io.roster.lb.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class ScenarioTest {
  private static final long S = 1_000_000_000L;

  @Test
  void flappingHost_downEveryOtherPeriod() {
    Scenario.Host h = Scenario.flappingHost(3, Duration.ofSeconds(10)).hosts().get(0);

    assertThat(h.downAt(0)).isFalse();
    assertThat(h.downAt(9 * S)).isFalse();
    assertThat(h.downAt(10 * S)).isTrue();
    assertThat(h.downAt(19 * S)).isTrue();
    assertThat(h.downAt(20 * S)).isFalse();
    assertThat(Scenario.flappingHost(3, Duration.ofSeconds(10)).hosts().get(1).downAt(10 * S))
        .isFalse();
  }

  @Test
  void burst_newHostsJoinLateAndStartCold() {
    Scenario s = Scenario.burstOfNewHosts(2, 3, Duration.ofSeconds(20), Duration.ofSeconds(10));
    Scenario.Host old = s.hosts().get(0);
    Scenario.Host fresh = s.hosts().get(4);

    assertThat(s.hosts()).hasSize(5);
    assertThat(old.joinAt()).isZero();
    assertThat(fresh.joinAt()).isEqualTo(Duration.ofSeconds(20));
    assertThat(fresh.coldFactorAt(25 * S)).isEqualTo(3);
    assertThat(fresh.coldFactorAt(30 * S)).isEqualTo(1);
    assertThat(old.coldFactorAt(25 * S)).isEqualTo(1);
  }

  @Test
  void zoneOutage_onlyZoneADownInWindow_othersSlower() {
    Scenario s = Scenario.zoneOutage(3, 2, 1.5, Duration.ofSeconds(20), Duration.ofSeconds(40));

    assertThat(s.hosts()).hasSize(6);
    assertThat(s.hosts())
        .extracting(Scenario.Host::zone)
        .containsExactly("a", "a", "b", "b", "c", "c");
    Scenario.Host a = s.hosts().get(0);
    Scenario.Host c = s.hosts().get(5);
    assertThat(a.downAt(19 * S)).isFalse();
    assertThat(a.downAt(20 * S)).isTrue();
    assertThat(a.downAt(40 * S)).isFalse();
    assertThat(c.downAt(30 * S)).isFalse();
    assertThat(a.latencyFactor()).isEqualTo(1);
    assertThat(c.latencyFactor()).isEqualTo(1.5);
  }
}
