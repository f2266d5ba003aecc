package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static io.roster.store.StoreFixtures.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GoTimeTest {

  @Test
  void rfc3339Nano_wholeSecondHasNoFraction() {
    assertThat(GoTime.rfc3339Nano(NOW)).isEqualTo("2026-11-24T21:40:00Z");
  }

  @Test
  void rfc3339Nano_trailingZerosTrimmed() {
    assertThat(GoTime.rfc3339Nano(NOW + 273_569_990)).isEqualTo("2026-11-24T21:40:00.27356999Z");
    assertThat(GoTime.rfc3339Nano(NOW + 500_000_000)).isEqualTo("2026-11-24T21:40:00.5Z");
    assertThat(GoTime.rfc3339Nano(NOW + 1)).isEqualTo("2026-11-24T21:40:00.000000001Z");
    assertThat(GoTime.rfc3339Nano(NOW + 7_750_629)).isEqualTo("2026-11-24T21:40:00.007750629Z");
  }

  @Test
  void rfc3339Nano_epochAndBeforeEpoch() {
    assertThat(GoTime.rfc3339Nano(0)).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(GoTime.rfc3339Nano(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
  }

  @Test
  void rfc3339Nano_maxLong() {
    assertThat(GoTime.rfc3339Nano(Long.MAX_VALUE)).isEqualTo("2262-04-11T23:47:16.854775807Z");
  }

  @Test
  void ttl_exactSecondsShowRequestedTtl() {
    assertThat(GoTime.ttl(NOW + 5 * SECOND, NOW)).isEqualTo(5);
  }

  @Test
  void ttl_roundsUp() {
    assertThat(GoTime.ttl(NOW + 5 * SECOND, NOW + 1_300_000_000L)).isEqualTo(4);
    assertThat(GoTime.ttl(NOW + 5 * SECOND, NOW + 1)).isEqualTo(5);
  }

  @Test
  void ttl_zeroWhenDueNow() {
    assertThat(GoTime.ttl(NOW, NOW)).isZero();
  }

  @Test
  void ttl_negativeWhenOverdue() {
    assertThat(GoTime.ttl(NOW, NOW + 500_000_000L)).isZero();
    assertThat(GoTime.ttl(NOW, NOW + SECOND)).isEqualTo(-1);
    assertThat(GoTime.ttl(NOW, NOW + 1_500_000_000L)).isEqualTo(-1);
    assertThat(GoTime.ttl(NOW, NOW + 2_000_000_001L)).isEqualTo(-2);
  }

  @Test
  void ttl_extremesDoNotOverflow() {
    assertThat(GoTime.ttl(Long.MAX_VALUE, Long.MIN_VALUE)).isEqualTo(9_223_372_037L);
    assertThat(GoTime.ttl(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(-9_223_372_036L);
  }

  @Test
  void expireAt_addsSeconds() {
    assertThat(GoTime.expireAt(NOW, 5)).isEqualTo(NOW + 5 * SECOND);
    assertThat(GoTime.expireAt(NOW, 0)).isEqualTo(NOW);
  }

  @Test
  void expireAt_saturates() {
    assertThat(GoTime.expireAt(NOW, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(GoTime.expireAt(NOW, 9_223_372_036L)).isEqualTo(Long.MAX_VALUE);
    assertThat(GoTime.expireAt(Long.MAX_VALUE - 1, 1)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void expireAt_negativeTtlRejected() {
    assertThatThrownBy(() -> GoTime.expireAt(NOW, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
