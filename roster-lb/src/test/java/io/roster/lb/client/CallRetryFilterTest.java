package io.roster.lb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.FakeScheduler;
import io.roster.lb.Service;
import io.roster.lb.http.HttpClassifier;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpResponse;
import io.roster.lb.http.WriteFailedException;
import io.roster.lb.retry.Backoff;
import io.roster.lb.retry.RetryBudget;
import io.roster.testkit.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

final class CallRetryFilterTest {
  private final ManualClock clock = new ManualClock(0);
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private final RetryBudget budget = RetryBudget.newBuilder().clock(clock).build();
  private long wallMillis = 1_700_000_000_000L;

  private CallRetryFilter filter(int maxAttempts) {
    SplittableRandom random = new SplittableRandom(3);
    return new CallRetryFilter(
        HttpClassifier.defaults(),
        budget,
        Backoff.fullJitter(Duration.ofMillis(25), Duration.ofMillis(250)),
        maxAttempts,
        1.5,
        scheduler,
        clock,
        () -> wallMillis,
        () -> random);
  }

  /** Answers each attempt with the next scripted outcome (a response or an exception). */
  private final class Scripted implements Service<Call, HttpResponse> {
    final Deque<Object> script = new ArrayDeque<>();
    final List<Long> calledAt = new ArrayList<>();

    Scripted(Object... outcomes) {
      script.addAll(List.of(outcomes));
    }

    @Override
    public CompletionStage<HttpResponse> apply(Call call) {
      call.newAttempt(clock.getAsLong());
      calledAt.add(clock.getAsLong());
      Object next = script.isEmpty() ? 200 : script.poll();
      if (next instanceof RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      if (next instanceof HttpResponse r) {
        return CompletableFuture.completedFuture(r);
      }
      return CompletableFuture.completedFuture(response((Integer) next, Map.of()));
    }
  }

  private static HttpResponse response(int status, Map<String, String> headers) {
    return new HttpResponse(status, headers, new byte[0]);
  }

  private Call call(HttpRequest request, Duration budgetLeft, boolean retriesAllowed) {
    long now = clock.getAsLong();
    return new Call(request, now, now + budgetLeft.toNanos(), retriesAllowed);
  }

  private CompletableFuture<HttpResponse> run(CallRetryFilter f, Scripted s, Call c) {
    CompletableFuture<HttpResponse> out = f.andThen(s).apply(c).toCompletableFuture();
    scheduler.advance(Duration.ofSeconds(60));
    return out;
  }

  @Test
  void get_503_retriedAfterBackoff() {
    Scripted s = new Scripted(503, 200);
    CallRetryFilter f = filter(3);

    HttpResponse r = run(f, s, call(HttpRequest.get("/"), Duration.ofSeconds(2), true)).join();

    assertThat(r.status()).isEqualTo(200);
    assertThat(s.calledAt).hasSize(2);
    assertThat(s.calledAt.get(1) - s.calledAt.get(0)).isBetween(0L, 25_000_000L);
    assertThat(f.retries.sum()).isEqualTo(1);
  }

  @Test
  void post_503_notRetried() {
    Scripted s = new Scripted(503);
    CallRetryFilter f = filter(3);

    HttpResponse r =
        run(f, s, call(HttpRequest.post("/", new byte[1]), Duration.ofSeconds(2), true)).join();

    assertThat(r.status()).isEqualTo(503);
    assertThat(s.calledAt).hasSize(1);
  }

  @Test
  void post_neverSent_requeuedAtOnce() {
    Scripted s = new Scripted(new WriteFailedException("h:1", new IOException("reset")), 200);
    CallRetryFilter f = filter(3);

    HttpResponse r =
        run(f, s, call(HttpRequest.post("/", new byte[1]), Duration.ofSeconds(2), true)).join();

    assertThat(r.status()).isEqualTo(200);
    assertThat(s.calledAt).containsExactly(0L, 0L);
    assertThat(f.requeues.sum()).isEqualTo(1);
    assertThat(f.retries.sum()).isZero();
  }

  @Test
  void upstreamRetrying_noRetry_butRequeueStillAllowed() {
    Scripted s = new Scripted(new WriteFailedException("h:1", new IOException("reset")), 503, 200);
    CallRetryFilter f = filter(3);

    HttpResponse r = run(f, s, call(HttpRequest.get("/"), Duration.ofSeconds(2), false)).join();

    assertThat(r.status()).isEqualTo(503);
    assertThat(s.calledAt).hasSize(2);
    assertThat(f.requeues.sum()).isEqualTo(1);
  }

  @Test
  void maxAttempts_capsRetries() {
    Scripted s = new Scripted(503, 503, 503, 503);
    CallRetryFilter f = filter(3);

    HttpResponse r = run(f, s, call(HttpRequest.get("/"), Duration.ofSeconds(5), true)).join();

    assertThat(r.status()).isEqualTo(503);
    assertThat(s.calledAt).hasSize(3);
  }

  @Test
  void retryAfterSeconds_waitedAtLeast() {
    Scripted s = new Scripted(response(503, Map.of("Retry-After", "2")), 200);
    CallRetryFilter f = filter(3);

    HttpResponse r = run(f, s, call(HttpRequest.get("/"), Duration.ofSeconds(10), true)).join();

    assertThat(r.status()).isEqualTo(200);
    assertThat(s.calledAt.get(1) - s.calledAt.get(0)).isGreaterThanOrEqualTo(2_000_000_000L);
  }

  @Test
  void retryAfterDate_waitedAtLeast() {
    Scripted s =
        new Scripted(response(429, Map.of("Retry-After", "Tue, 14 Nov 2023 22:13:23 GMT")), 200);
    wallMillis = 1_700_000_000_000L;
    CallRetryFilter f = filter(3);

    run(f, s, call(HttpRequest.get("/"), Duration.ofSeconds(10), true)).join();

    assertThat(s.calledAt.get(1) - s.calledAt.get(0)).isGreaterThanOrEqualTo(3_000_000_000L);
  }

  @Test
  void retryAfterBeyondDeadline_notRetried() {
    Scripted s = new Scripted(response(503, Map.of("Retry-After", "5")), 200);
    CallRetryFilter f = filter(3);

    HttpResponse r = run(f, s, call(HttpRequest.get("/"), Duration.ofSeconds(2), true)).join();

    assertThat(r.status()).isEqualTo(503);
    assertThat(f.refusedByDeadline.sum()).isEqualTo(1);
  }

  @Test
  void budgetEmpty_notRetried() {
    RetryBudget empty =
        RetryBudget.newBuilder().clock(clock).minRetriesPerSecond(0).percentCanRetry(0).build();
    SplittableRandom random = new SplittableRandom(3);
    CallRetryFilter f =
        new CallRetryFilter(
            HttpClassifier.defaults(),
            empty,
            Backoff.none(),
            3,
            1.5,
            scheduler,
            clock,
            () -> wallMillis,
            () -> random);
    Scripted s = new Scripted(503, 200);

    HttpResponse r = run(f, s, call(HttpRequest.get("/"), Duration.ofSeconds(2), true)).join();

    assertThat(r.status()).isEqualTo(503);
    assertThat(f.refusedByBudget.sum()).isEqualTo(1);
  }

  @Test
  void cancelledCall_notRetried() {
    Scripted s = new Scripted(503, 200);
    Call c = call(HttpRequest.get("/"), Duration.ofSeconds(2), true);
    c.cancellation.cancel();

    HttpResponse r = run(filter(3), s, c).join();

    assertThat(r.status()).isEqualTo(503);
    assertThat(s.calledAt).hasSize(1);
  }
}
