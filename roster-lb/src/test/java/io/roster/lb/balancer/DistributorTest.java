package io.roster.lb.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class DistributorTest {
  private static final int PICKS = 100_000;

  private static Map<String, Integer> histogram(Distributor d) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < PICKS; i++) {
      counts.merge(d.pick(0).endpoint.host(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobin_cyclesInOrder() {
    Node[] nodes = Nodes.of(3);
    RoundRobin rr = new RoundRobin(nodes, 0);

    assertThat(rr.pick(0)).isSameAs(nodes[0]);
    assertThat(rr.pick(0)).isSameAs(nodes[1]);
    assertThat(rr.pick(0)).isSameAs(nodes[2]);
    assertThat(rr.pick(0)).isSameAs(nodes[0]);
  }

  @Test
  void roundRobin_counterWraps_staysInRange() {
    Node[] nodes = Nodes.of(3);
    RoundRobin rr = new RoundRobin(nodes, Long.MAX_VALUE);

    for (int i = 0; i < 5; i++) {
      assertThat(rr.pick(0)).isIn((Object[]) nodes);
    }
  }

  @Test
  void weightedRandom_proportionalToWeight() {
    Node[] nodes = {
      Nodes.weighted("a", 1), Nodes.weighted("b", 2), Nodes.weighted("c", 5), Nodes.weighted("d", 2)
    };
    Random rng = new Random(12345);

    Map<String, Integer> counts = histogram(new WeightedRandom(nodes, () -> rng));

    assertThat(counts.getOrDefault("a", 0) / (double) PICKS).isCloseTo(0.1, within(0.01));
    assertThat(counts.getOrDefault("b", 0) / (double) PICKS).isCloseTo(0.2, within(0.01));
    assertThat(counts.getOrDefault("c", 0) / (double) PICKS).isCloseTo(0.5, within(0.01));
    assertThat(counts.getOrDefault("d", 0) / (double) PICKS).isCloseTo(0.2, within(0.01));
  }

  @Test
  void weightedRandom_singleNode_alwaysIt() {
    Node[] nodes = Nodes.of(1);
    Random rng = new Random(1);

    assertThat(new WeightedRandom(nodes, () -> rng).pick(0)).isSameAs(nodes[0]);
  }

  @Test
  void p2c_equalLoad_spreadsEvenly() {
    Random rng = new Random(12345);

    Map<String, Integer> counts = histogram(new P2c(Nodes.of(10), () -> rng));

    assertThat(counts).hasSize(10);
    counts.values().forEach(c -> assertThat(c / (double) PICKS).isCloseTo(0.1, within(0.01)));
  }

  @Test
  void p2c_twoNodes_alwaysPicksLessLoaded() {
    Node[] nodes = Nodes.of(2);
    nodes[0].metric.start(0);
    Random rng = new Random(7);
    P2c p2c = new P2c(nodes, () -> rng);

    for (int i = 0; i < 1000; i++) {
      assertThat(p2c.pick(0)).isSameAs(nodes[1]);
    }
  }

  @Test
  void p2c_heavierWeight_winsAtEqualInFlight() {
    Node[] nodes = {Nodes.weighted("light", 1), Nodes.weighted("heavy", 3)};
    Random rng = new Random(7);

    assertThat(new P2c(nodes, () -> rng).pick(0).endpoint.host()).isEqualTo("heavy");
  }

  @Test
  void p2c_busyNodeLoses_evenWhenIdle() {
    Node[] nodes = Nodes.of(2);
    Node busy =
        new Node(
            nodes[0].endpoint,
            nodes[0].metric,
            FailureDetectors.fixed(io.roster.lb.Status.BUSY),
            0,
            SlowStart.OFF);
    nodes[1].metric.start(0);
    nodes[1].metric.start(0);
    Random rng = new Random(7);
    P2c p2c = new P2c(new Node[] {busy, nodes[1]}, () -> rng);

    for (int i = 0; i < 100; i++) {
      assertThat(p2c.pick(0)).isSameAs(nodes[1]);
    }
  }

  @Test
  void p2c_singleNode_returnsIt() {
    Node[] nodes = Nodes.of(1);
    Random rng = new Random(1);

    assertThat(new P2c(nodes, () -> rng).pick(0)).isSameAs(nodes[0]);
  }

  @Test
  void slowStart_rampsLinearlyWithFloor() {
    SlowStart s = new SlowStart(100, 0.1);

    assertThat(s.factor(0)).isEqualTo(0.1);
    assertThat(s.factor(50)).isEqualTo(0.5);
    assertThat(s.factor(100)).isEqualTo(1.0);
    assertThat(s.factor(-5)).isEqualTo(0.1);
    assertThat(SlowStart.OFF.factor(0)).isEqualTo(1.0);
  }
}
