package io.roster.lb.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class LatencyOutliersTest {

  @Test
  void slow_oneOutlier_flaggedAlone() {
    assertThat(LatencyOutliers.slow(new double[] {10, 11, 100, 9, 10}, 3, 3))
        .containsExactly(false, false, true, false, false);
  }

  @Test
  void slow_belowMinHosts_nothingFlagged() {
    assertThat(LatencyOutliers.slow(new double[] {10, 100}, 3, 3)).containsExactly(false, false);
  }

  @Test
  void slow_ineligibleHostsIgnored() {
    double nan = Double.NaN;

    assertThat(LatencyOutliers.slow(new double[] {nan, 10, 10, 100, nan}, 3, 3))
        .containsExactly(false, false, false, true, false);
    assertThat(LatencyOutliers.slow(new double[] {nan, 10, 100, nan}, 3, 3))
        .containsExactly(false, false, false, false);
  }

  @Test
  void slow_justBelowFactor_notFlagged() {
    assertThat(LatencyOutliers.slow(new double[] {10, 10, 10, 29}, 3, 3))
        .containsExactly(false, false, false, false);
  }

  @Test
  void slow_twoOfFourSlow_bothFlagged_capDecides() {
    assertThat(LatencyOutliers.slow(new double[] {10, 10, 100, 100}, 3, 3))
        .containsExactly(false, false, true, true);
  }

  @Test
  void slow_majoritySlow_noneFlagged() {
    assertThat(LatencyOutliers.slow(new double[] {10, 100, 100, 100}, 3, 3))
        .containsExactly(false, false, false, false);
  }

  @Test
  void medianWithout_oddAndEvenRemainders() {
    double[] sorted = {1, 2, 3, 4, 5};

    assertThat(LatencyOutliers.medianWithout(sorted, 0)).isEqualTo(3.5);
    assertThat(LatencyOutliers.medianWithout(sorted, 4)).isEqualTo(2.5);
    assertThat(LatencyOutliers.medianWithout(new double[] {1, 2, 3, 4}, 1)).isEqualTo(3);
  }
}
