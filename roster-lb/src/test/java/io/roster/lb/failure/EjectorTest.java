package io.roster.lb.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.Status;
import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class EjectorTest {
  private static final long MS = 1_000_000;
  private final ManualClock clock = new ManualClock(0);

  private Ejector.Builder builder() {
    return Ejector.newBuilder()
        .clock(clock)
        .random(new Random(12345))
        .ejectionTime(Duration.ofSeconds(30), Duration.ofSeconds(300), 0);
  }

  private static List<EndpointHealth> track(Ejector e, int n) {
    List<EndpointHealth> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(e.track(Endpoint.of("h" + i, 80)));
    }
    return out;
  }

  private static void respond(EndpointHealth h, int times, ResponseClass outcome) {
    for (int i = 0; i < times; i++) {
      h.onStart();
      h.onResponse(10 * MS, outcome);
    }
  }

  @Test
  void consecutiveFailures_fifth_ejects() {
    Ejector e = builder().build();
    EndpointHealth h = track(e, 5).get(0);

    respond(h, 4, ResponseClass.RETRYABLE_FAILURE);
    assertThat(h.status()).isEqualTo(Status.OPEN);
    respond(h, 1, ResponseClass.NON_RETRYABLE_FAILURE);

    assertThat(h.status()).isEqualTo(Status.BUSY);
    assertThat(e.ejections(EjectionReason.CONSECUTIVE_FAILURES)).isEqualTo(1);
    assertThat(e.ejectedShare()).isEqualTo(0.2);
  }

  @Test
  void consecutiveFailures_successInBetween_resets() {
    Ejector e = builder().successRate(0, Duration.ofSeconds(30), 20).build();
    EndpointHealth h = track(e, 5).get(0);

    for (int i = 0; i < 10; i++) {
      respond(h, 4, ResponseClass.RETRYABLE_FAILURE);
      respond(h, 1, ResponseClass.SUCCESS);
    }

    assertThat(h.status()).isEqualTo(Status.OPEN);
  }

  @Test
  void successRate_belowThreshold_ejects() {
    Ejector e = builder().consecutiveFailures(0).build();
    EndpointHealth h = track(e, 5).get(0);

    for (int i = 0; i < 20; i++) {
      respond(h, 1, i % 2 == 0 ? ResponseClass.SUCCESS : ResponseClass.RETRYABLE_FAILURE);
    }

    assertThat(h.status()).isEqualTo(Status.BUSY);
    assertThat(e.ejections(EjectionReason.SUCCESS_RATE)).isEqualTo(1);
  }

  @Test
  void successRate_tooFewRequests_noEjection() {
    Ejector e = builder().consecutiveFailures(0).build();
    EndpointHealth h = track(e, 5).get(0);

    respond(h, 19, ResponseClass.RETRYABLE_FAILURE);

    assertThat(h.status()).isEqualTo(Status.OPEN);
  }

  @Test
  void successRate_oldFailuresSlideOut() {
    Ejector e = builder().consecutiveFailures(0).build();
    EndpointHealth h = track(e, 5).get(0);
    respond(h, 15, ResponseClass.RETRYABLE_FAILURE);

    clock.advance(Duration.ofSeconds(31));
    respond(h, 10, ResponseClass.SUCCESS);
    respond(h, 2, ResponseClass.RETRYABLE_FAILURE);

    assertThat(h.status()).isEqualTo(Status.OPEN);
  }

  @Test
  void ejection_expires_oneProbe_successRestores() {
    Ejector e = builder().build();
    EndpointHealth h = track(e, 5).get(0);
    respond(h, 5, ResponseClass.RETRYABLE_FAILURE);

    clock.advance(Duration.ofSeconds(29));
    assertThat(h.status()).isEqualTo(Status.BUSY);
    clock.advance(Duration.ofSeconds(1));
    assertThat(h.status()).isEqualTo(Status.OPEN);

    h.onStart();
    assertThat(h.status()).isEqualTo(Status.BUSY);
    h.onResponse(MS, ResponseClass.SUCCESS);

    assertThat(h.status()).isEqualTo(Status.OPEN);
    assertThat(e.ejectedCount()).isZero();
  }

  @Test
  void probeFails_reEjectedForLonger() {
    Ejector e = builder().build();
    EndpointHealth h = track(e, 5).get(0);
    respond(h, 5, ResponseClass.RETRYABLE_FAILURE);
    clock.advance(Duration.ofSeconds(30));

    respond(h, 1, ResponseClass.RETRYABLE_FAILURE);

    assertThat(e.ejections(EjectionReason.FAILED_PROBE)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(59));
    assertThat(h.status()).isEqualTo(Status.BUSY);
    clock.advance(Duration.ofSeconds(1));
    assertThat(h.status()).isEqualTo(Status.OPEN);
  }

  @Test
  void ejectionTime_cappedAtMax() {
    Ejector e = builder().ejectionTime(Duration.ofSeconds(30), Duration.ofSeconds(45), 0).build();

    assertThat(e.ejectionNanos(1)).isEqualTo(Duration.ofSeconds(30).toNanos());
    assertThat(e.ejectionNanos(5)).isEqualTo(Duration.ofSeconds(45).toNanos());
  }

  @Test
  void ejectionTime_jitterWithinBounds() {
    Ejector e =
        builder().ejectionTime(Duration.ofSeconds(30), Duration.ofSeconds(300), 0.2).build();

    for (int i = 0; i < 1000; i++) {
      assertThat(e.ejectionNanos(1)).isBetween(24_000 * MS, 36_000 * MS);
    }
  }

  @Test
  void cap_maxShare_limitsEjections() {
    Ejector e = builder().build();
    List<EndpointHealth> hosts = track(e, 10);

    hosts.forEach(h -> respond(h, 5, ResponseClass.RETRYABLE_FAILURE));

    assertThat(e.ejectedCount()).isEqualTo(2);
    assertThat(e.cappedEjections()).isPositive();
    assertThat(hosts.stream().filter(h -> h.status() == Status.OPEN)).hasSize(8);
  }

  @Test
  void cap_threeHosts_alwaysOne() {
    Ejector e = builder().build();
    List<EndpointHealth> hosts = track(e, 3);

    hosts.forEach(h -> respond(h, 5, ResponseClass.RETRYABLE_FAILURE));

    assertThat(e.ejectedCount()).isEqualTo(1);
  }

  @Test
  void cap_twoHosts_neverEjects() {
    Ejector e = builder().build();
    List<EndpointHealth> hosts = track(e, 2);

    respond(hosts.get(0), 50, ResponseClass.RETRYABLE_FAILURE);

    assertThat(hosts.get(0).status()).isEqualTo(Status.OPEN);
  }

  @Test
  void untrack_ejected_freesSlot() {
    Ejector e = builder().build();
    List<EndpointHealth> hosts = track(e, 5);
    respond(hosts.get(0), 5, ResponseClass.RETRYABLE_FAILURE);

    e.untrack(hosts.get(0));
    e.untrack(hosts.get(0));

    assertThat(e.ejectedCount()).isZero();
    assertThat(hosts.get(0).status()).isEqualTo(Status.CLOSED);
  }

  @Test
  void latencyOutlier_threeSlowIntervals_ejects() {
    Ejector e = builder().latencyOutlier(3, Duration.ofSeconds(10), 3, 50, 3).build();
    List<EndpointHealth> hosts = track(e, 5);

    for (int interval = 0; interval < 3; interval++) {
      for (int i = 0; i < 60; i++) {
        for (int h = 0; h < hosts.size(); h++) {
          hosts.get(h).onStart();
          hosts.get(h).onResponse((h == 0 ? 100 : 10) * MS, ResponseClass.SUCCESS);
        }
      }
      assertThat(hosts.get(0).status()).isEqualTo(Status.OPEN);
      clock.advance(Duration.ofSeconds(10));
    }
    respond(hosts.get(1), 1, ResponseClass.SUCCESS);

    assertThat(hosts.get(0).status()).isEqualTo(Status.BUSY);
    assertThat(e.ejections(EjectionReason.LATENCY_OUTLIER)).isEqualTo(1);
    assertThat(hosts.subList(1, 5)).allMatch(h -> h.status() == Status.OPEN);
  }

  @Test
  void latencyOutlier_tooFewRequests_noEjection() {
    Ejector e = builder().latencyOutlier(3, Duration.ofSeconds(10), 1, 50, 3).build();
    List<EndpointHealth> hosts = track(e, 5);

    for (int interval = 0; interval < 3; interval++) {
      for (int h = 0; h < hosts.size(); h++) {
        hosts.get(h).onStart();
        hosts.get(h).onResponse((h == 0 ? 100 : 10) * MS, ResponseClass.SUCCESS);
      }
      clock.advance(Duration.ofSeconds(10));
    }
    respond(hosts.get(1), 1, ResponseClass.SUCCESS);

    assertThat(hosts.get(0).status()).isEqualTo(Status.OPEN);
  }

  @Test
  void builder_badValues_rejected() {
    Ejector.Builder b = Ejector.newBuilder();

    assertThatThrownBy(() -> b.consecutiveFailures(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.successRate(1.1, Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.ejectionTime(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.latencyOutlier(1, Duration.ofSeconds(1), 1, 1, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.latencyOutlier(3, Duration.ofSeconds(1), 1, 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
