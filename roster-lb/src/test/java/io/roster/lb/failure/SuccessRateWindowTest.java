package io.roster.lb.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class SuccessRateWindowTest {

  @Test
  void successRate_empty_isOne() {
    assertThat(new SuccessRateWindow(100, 10).successRate(0)).isEqualTo(1.0);
  }

  @Test
  void successRate_countsWithinWindow() {
    SuccessRateWindow w = new SuccessRateWindow(100, 10);
    w.record(0, true);
    w.record(5, false);
    w.record(50, true);
    w.record(99, true);

    assertThat(w.requests(99)).isEqualTo(4);
    assertThat(w.successRate(99)).isEqualTo(0.75);
  }

  @Test
  void successRate_oldBucketsExpire() {
    SuccessRateWindow w = new SuccessRateWindow(100, 10);
    w.record(0, false);
    w.record(95, true);

    assertThat(w.requests(100)).isEqualTo(1);
    assertThat(w.successRate(100)).isEqualTo(1.0);
  }

  @Test
  void record_reusedSlot_clearedFirst() {
    SuccessRateWindow w = new SuccessRateWindow(100, 10);
    w.record(5, false);
    w.record(105, true);

    assertThat(w.requests(105)).isEqualTo(1);
  }

  @Test
  void clear_forgetsEverything() {
    SuccessRateWindow w = new SuccessRateWindow(100, 10);
    w.record(5, false);
    w.clear();

    assertThat(w.requests(5)).isZero();
  }
}
