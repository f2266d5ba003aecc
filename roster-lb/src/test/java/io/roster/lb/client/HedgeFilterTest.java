package io.roster.lb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.FakeScheduler;
import io.roster.lb.Service;
import io.roster.lb.http.HttpClassifier;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpResponse;
import io.roster.lb.retry.RetryBudget;
import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

final class HedgeFilterTest {
  private final ManualClock clock = new ManualClock(0);
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private final LatencyWindow latency = new LatencyWindow(clock, 30_000_000_000L, 6, 95);

  /** Attempts answer when the test says; records them and whether they were cancelled. */
  private static final class Held implements Service<Attempt, HttpResponse> {
    final List<Attempt> attempts = new ArrayList<>();
    final List<CompletableFuture<HttpResponse>> replies = new ArrayList<>();

    @Override
    public CompletionStage<HttpResponse> apply(Attempt a) {
      attempts.add(a);
      CompletableFuture<HttpResponse> f = new CompletableFuture<>();
      a.cancellation.onCancel(() -> f.cancel(false));
      replies.add(f);
      return f;
    }

    void answer(int i, int status) {
      replies.get(i).complete(new HttpResponse(status, Map.of(), new byte[0]));
    }
  }

  private HedgeFilter filter(boolean enabled, RetryBudget budget) {
    return new HedgeFilter(
        enabled, latency, 10, budget, 3, HttpClassifier.defaults(), scheduler, clock);
  }

  private RetryBudget budget() {
    return RetryBudget.newBuilder().clock(clock).build();
  }

  /** 100 successful 10 ms latencies, then time moves past the cache. */
  private void warm() {
    for (int i = 0; i < 100; i++) {
      latency.record(10_000_000L);
    }
    clock.advance(Duration.ofSeconds(1));
  }

  private Call call(HttpRequest r) {
    long now = clock.getAsLong();
    return new Call(r, now, now + Duration.ofSeconds(5).toNanos(), true);
  }

  @Test
  void slowFirst_hedgeAfterPercentile_winsAndFirstCancelled() {
    warm();
    Held held = new Held();
    HedgeFilter f = filter(true, budget());
    CompletableFuture<HttpResponse> out =
        f.andThen(held).apply(call(HttpRequest.get("/"))).toCompletableFuture();

    scheduler.advance(Duration.ofMillis(9));
    assertThat(held.attempts).hasSize(1);
    scheduler.advance(Duration.ofMillis(2));
    assertThat(held.attempts).hasSize(2);
    assertThat(held.attempts.get(1).number).isEqualTo(2);
    held.answer(1, 200);

    assertThat(out.join().status()).isEqualTo(200);
    assertThat(held.replies.get(0)).isCancelled();
    assertThat(f.hedges.sum()).isEqualTo(1);
    assertThat(f.hedgesWon.sum()).isEqualTo(1);
  }

  @Test
  void fastFirst_noHedge() {
    warm();
    Held held = new Held();
    HedgeFilter f = filter(true, budget());
    CompletableFuture<HttpResponse> out =
        f.andThen(held).apply(call(HttpRequest.get("/"))).toCompletableFuture();

    clock.advance(Duration.ofMillis(5));
    held.answer(0, 200);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(out.join().status()).isEqualTo(200);
    assertThat(held.attempts).hasSize(1);
    assertThat(f.hedges.sum()).isZero();
  }

  @Test
  void firstAnswersAfterHedge_firstWins_hedgeCancelled() {
    warm();
    Held held = new Held();
    HedgeFilter f = filter(true, budget());
    CompletableFuture<HttpResponse> out =
        f.andThen(held).apply(call(HttpRequest.get("/"))).toCompletableFuture();
    scheduler.advance(Duration.ofMillis(20));

    held.answer(0, 200);

    assertThat(out.join().status()).isEqualTo(200);
    assertThat(held.replies.get(1)).isCancelled();
    assertThat(f.hedgesWon.sum()).isZero();
  }

  @Test
  void retryableFailureOfOne_waitsForTheOther() {
    warm();
    Held held = new Held();
    HedgeFilter f = filter(true, budget());
    CompletableFuture<HttpResponse> out =
        f.andThen(held).apply(call(HttpRequest.get("/"))).toCompletableFuture();
    scheduler.advance(Duration.ofMillis(20));

    held.answer(0, 503);
    assertThat(out).isNotDone();
    held.answer(1, 200);

    assertThat(out.join().status()).isEqualTo(200);
  }

  @Test
  void bothFail_lastFailureReturned() {
    warm();
    Held held = new Held();
    CompletableFuture<HttpResponse> out =
        filter(true, budget())
            .andThen(held)
            .apply(call(HttpRequest.get("/")))
            .toCompletableFuture();
    scheduler.advance(Duration.ofMillis(20));

    held.answer(0, 503);
    held.answer(1, 502);

    assertThat(out.join().status()).isEqualTo(502);
  }

  @Test
  void firstFailsBeforeHedgeDelay_failsAtOnce_noHedge() {
    warm();
    Held held = new Held();
    HedgeFilter f = filter(true, budget());
    CompletableFuture<HttpResponse> out =
        f.andThen(held).apply(call(HttpRequest.get("/"))).toCompletableFuture();

    held.answer(0, 503);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(out.join().status()).isEqualTo(503);
    assertThat(held.attempts).hasSize(1);
  }

  @Test
  void post_neverHedged() {
    warm();
    Held held = new Held();
    filter(true, budget()).andThen(held).apply(call(HttpRequest.post("/", new byte[1])));

    scheduler.advance(Duration.ofSeconds(1));

    assertThat(held.attempts).hasSize(1);
  }

  @Test
  void coldWindow_noHedge() {
    Held held = new Held();
    filter(true, budget()).andThen(held).apply(call(HttpRequest.get("/")));

    scheduler.advance(Duration.ofSeconds(1));

    assertThat(held.attempts).hasSize(1);
  }

  @Test
  void emptyBudget_noHedge() {
    warm();
    RetryBudget empty =
        RetryBudget.newBuilder().clock(clock).minRetriesPerSecond(0).percentCanRetry(0).build();
    Held held = new Held();
    HedgeFilter f = filter(true, empty);
    f.andThen(held).apply(call(HttpRequest.get("/")));

    scheduler.advance(Duration.ofSeconds(1));

    assertThat(held.attempts).hasSize(1);
    assertThat(f.refusedByBudget.sum()).isEqualTo(1);
  }

  @Test
  void disabled_singleAttempt() {
    warm();
    Held held = new Held();
    filter(false, budget()).andThen(held).apply(call(HttpRequest.get("/")));

    scheduler.advance(Duration.ofSeconds(1));

    assertThat(held.attempts).hasSize(1);
  }

  @Test
  void latencyWindow_percentileAndExpiry() {
    for (int i = 1; i <= 100; i++) {
      latency.record(i * 1_000_000L);
    }
    clock.advance(Duration.ofMillis(200));

    assertThat(latency.count()).isEqualTo(100);
    assertThat(latency.percentileNanos()).isBetween(94_000_000L, 96_000_000L);
    clock.advance(Duration.ofSeconds(31));
    assertThat(latency.count()).isZero();
  }
}
