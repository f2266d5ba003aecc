package io.roster.lb.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class RetryBudgetTest {
  private final ManualClock clock = new ManualClock(0);

  private int drain(RetryBudget b) {
    int n = 0;
    while (b.tryWithdraw()) {
      n++;
    }
    return n;
  }

  @Test
  void balance_noTraffic_isReserve() {
    RetryBudget b = RetryBudget.newBuilder().clock(clock).build();

    assertThat(b.balance()).isEqualTo(100);
    assertThat(drain(b)).isEqualTo(100);
    assertThat(b.tryWithdraw()).isFalse();
  }

  @Test
  void deposit_addsTwentyPercent() {
    RetryBudget b = RetryBudget.newBuilder().clock(clock).minRetriesPerSecond(0).build();

    for (int i = 0; i < 1000; i++) {
      b.deposit();
    }

    assertThat(drain(b)).isEqualTo(200);
  }

  @Test
  void withdrawals_expireAfterTtl_reserveRefills() {
    RetryBudget b = RetryBudget.newBuilder().clock(clock).build();
    drain(b);

    clock.advance(Duration.ofSeconds(11));

    assertThat(b.balance()).isEqualTo(100);
  }

  @Test
  void deposits_expireAfterTtl() {
    RetryBudget b = RetryBudget.newBuilder().clock(clock).minRetriesPerSecond(0).build();
    for (int i = 0; i < 100; i++) {
      b.deposit();
    }
    assertThat(b.balance()).isEqualTo(20);

    clock.advance(Duration.ofSeconds(11));

    assertThat(b.balance()).isZero();
  }

  @Test
  void sustainedFailure_retriesCappedNearTwentyPercentPlusReserveRate() {
    RetryBudget b = RetryBudget.newBuilder().clock(clock).build();
    int retries = 0;
    int requests = 0;
    for (int second = 0; second < 60; second++) {
      for (int i = 0; i < 100; i++) {
        b.deposit();
        requests++;
        retries += b.tryWithdraw() ? 1 : 0;
      }
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(retries).isLessThanOrEqualTo((int) (0.2 * requests) + 10 * 60 + 100);
    assertThat(retries).isGreaterThan((int) (0.2 * requests));
  }

  @Test
  void builder_badValues_rejected() {
    RetryBudget.Builder b = RetryBudget.newBuilder();

    assertThatThrownBy(() -> b.ttl(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.ttl(Duration.ofSeconds(61)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.minRetriesPerSecond(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.percentCanRetry(-0.1)).isInstanceOf(IllegalArgumentException.class);
  }
}
