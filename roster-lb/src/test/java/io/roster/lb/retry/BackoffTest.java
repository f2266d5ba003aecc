package io.roster.lb.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class BackoffTest {
  private static final long MS = 1_000_000;
  private final Random rng = new Random(12345);

  @Test
  void fullJitter_withinDoublingCeiling() {
    Backoff b = Backoff.fullJitter(Duration.ofMillis(25), Duration.ofMillis(250));

    for (int i = 0; i < 1000; i++) {
      assertThat(b.delayNanos(1, rng)).isBetween(0L, 25 * MS);
      assertThat(b.delayNanos(2, rng)).isBetween(0L, 50 * MS);
      assertThat(b.delayNanos(3, rng)).isBetween(0L, 100 * MS);
      assertThat(b.delayNanos(10, rng)).isBetween(0L, 250 * MS);
      assertThat(b.delayNanos(Integer.MAX_VALUE, rng)).isBetween(0L, 250 * MS);
    }
  }

  @Test
  void fullJitter_spreadsOverWholeRange() {
    Backoff b = Backoff.fullJitter(Duration.ofMillis(100), Duration.ofMillis(100));
    long min = Long.MAX_VALUE;
    long max = 0;
    double sum = 0;
    for (int i = 0; i < 10_000; i++) {
      long d = b.delayNanos(1, rng);
      min = Math.min(min, d);
      max = Math.max(max, d);
      sum += d;
    }

    assertThat(min).isLessThan(MS);
    assertThat(max).isGreaterThan(99 * MS);
    assertThat(sum / 10_000).isBetween(48.0 * MS, 52.0 * MS);
  }

  @Test
  void constantAndNone() {
    assertThat(Backoff.constant(Duration.ofMillis(7)).delayNanos(3, rng)).isEqualTo(7 * MS);
    assertThat(Backoff.none().delayNanos(3, rng)).isZero();
  }

  @Test
  void fullJitter_badArguments_rejected() {
    assertThatThrownBy(() -> Backoff.fullJitter(Duration.ZERO, Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.fullJitter(Duration.ofMillis(2), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.constant(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deadlineGate_needsRoomForExpectedLatency() {
    DeadlineGate gate = new DeadlineGate(1.5);
    assertThat(gate.admits(0, 100, 0)).isTrue();
    assertThat(gate.admits(0, 100, 100)).isFalse();

    gate.observe(40);

    assertThat(gate.admits(0, 100, 40)).isTrue();
    assertThat(gate.admits(0, 100, 41)).isFalse();
  }

  @Test
  void deadlineGate_estimateMovesByEighth() {
    DeadlineGate gate = new DeadlineGate(1.5);
    gate.observe(80);
    gate.observe(160);

    assertThat(gate.expectedNanos()).isEqualTo(90.0);
  }
}
