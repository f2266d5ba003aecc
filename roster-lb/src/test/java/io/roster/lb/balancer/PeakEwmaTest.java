package io.roster.lb.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class PeakEwmaTest {
  private static final double TAU = TimeUnit.SECONDS.toNanos(10);
  private static final long MS = 1_000_000;

  @Test
  void load_startsAtSeed() {
    PeakEwma m = new PeakEwma(TAU, 30 * MS, 0);

    assertThat(m.load(0)).isEqualTo(30.0 * MS);
  }

  @Test
  void end_largerSample_jumpsToPeak() {
    PeakEwma m = new PeakEwma(TAU, 10 * MS, 0);
    m.start(0);
    m.end(1, 500 * MS);

    assertThat(m.latencyNanos(1)).isCloseTo(500.0 * MS, within(1.0 * MS));
  }

  @Test
  void latency_decaysWithTimeConstant() {
    PeakEwma m = new PeakEwma(TAU, 100 * MS, 0);

    double after = m.latencyNanos((long) TAU);

    assertThat(after).isCloseTo(100.0 * MS / Math.E, within(0.01 * MS));
  }

  @Test
  void end_smallerSample_movesByElapsedWeight() {
    PeakEwma m = new PeakEwma(TAU, 100 * MS, 0);
    m.start(0);
    long t = (long) (TAU * Math.log(2));
    m.end(t, 0);

    assertThat(m.latencyNanos(t)).isCloseTo(50.0 * MS, within(0.01 * MS));
  }

  @Test
  void load_multipliesByPendingPlusOne() {
    PeakEwma m = new PeakEwma(TAU, 10 * MS, 0);
    m.start(0);
    m.start(0);

    assertThat(m.pending()).isEqualTo(2);
    assertThat(m.load(0)).isEqualTo(30.0 * MS);
  }

  @Test
  void end_clockGoesBack_noNegativeDecay() {
    PeakEwma m = new PeakEwma(TAU, 10 * MS, 1000);
    m.start(0);
    m.end(500, 5 * MS);

    assertThat(m.latencyNanos(500)).isEqualTo(10.0 * MS);
  }

  @Test
  void leastLoaded_countsInFlightPlusOne() {
    LeastLoaded m = new LeastLoaded();
    assertThat(m.load(0)).isEqualTo(1);
    m.start(0);
    m.start(0);
    m.end(1, 1);
    assertThat(m.load(1)).isEqualTo(2);
    assertThat(m.latencyNanos(1)).isNaN();
  }

  @Test
  void failures_raiseLoad_upToTenfold() {
    PeakEwma ok = new PeakEwma(10e9, 1_000_000, 0);
    PeakEwma failing = new PeakEwma(10e9, 1_000_000, 0);
    for (int i = 0; i < 50; i++) {
      ok.start(0);
      ok.end(0, 1_000_000, false);
      failing.start(0);
      failing.end(0, 1_000_000, true);
    }

    assertThat(failing.errorRate(0)).isGreaterThan(0.99);
    assertThat(failing.load(0) / ok.load(0))
        .isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.5));
  }

  @Test
  void errorRate_decaysWhileIdle() {
    PeakEwma m = new PeakEwma(10e9, 1_000_000, 0);
    for (int i = 0; i < 30; i++) {
      m.start(0);
      m.end(0, 1_000_000, true);
    }
    double before = m.errorRate(0);

    double after = m.errorRate(30_000_000_000L);

    assertThat(after).isLessThan(before * 0.06);
  }

  @Test
  void halfFailing_costsAboutTwice() {
    PeakEwma m = new PeakEwma(10e9, 1_000_000, 0);
    PeakEwma ok = new PeakEwma(10e9, 1_000_000, 0);
    for (int i = 0; i < 200; i++) {
      m.start(0);
      m.end(0, 1_000_000, i % 2 == 0);
      ok.start(0);
      ok.end(0, 1_000_000, false);
    }

    assertThat(m.load(0) / ok.load(0)).isBetween(1.7, 2.3);
  }
}
