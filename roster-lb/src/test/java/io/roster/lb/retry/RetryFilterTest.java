package io.roster.lb.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.ResponseClass;
import io.roster.lb.ResponseClassifier;
import io.roster.lb.Service;
import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

final class RetryFilterTest {
  private final ManualClock clock = new ManualClock(0);
  private final RecordingScheduler scheduler = new RecordingScheduler();
  private final ResponseClassifier<String, String> classifier =
      (req, rep, fail) -> {
        if (fail != null) {
          return ResponseClass.NON_RETRYABLE_FAILURE;
        }
        return "retry".equals(rep) ? ResponseClass.RETRYABLE_FAILURE : ResponseClass.SUCCESS;
      };

  /** Replies with the scripted answers in order, then "ok"; counts calls. */
  private static final class ScriptedService implements Service<String, String> {
    final Deque<String> script = new ArrayDeque<>();
    int calls;

    ScriptedService(String... replies) {
      script.addAll(java.util.List.of(replies));
    }

    @Override
    public CompletionStage<String> apply(String request) {
      calls++;
      String next = script.poll();
      if ("throw".equals(next)) {
        return CompletableFuture.failedFuture(new IllegalStateException("boom"));
      }
      return CompletableFuture.completedFuture(next == null ? "ok" : next);
    }
  }

  private RetryFilter.Builder<String, String> builder() {
    return RetryFilter.newBuilder(classifier, scheduler, Duration.ofSeconds(1))
        .clock(clock)
        .random(new Random(12345))
        .budget(RetryBudget.newBuilder().clock(clock).build());
  }

  private static String result(CompletionStage<String> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void apply_retryableThenOk_retriedAfterBackoff() {
    ScriptedService s = new ScriptedService("retry");
    RetryFilter<String, String> f = builder().build();

    CompletionStage<String> out = f.andThen(s).apply("q");
    assertThat(out.toCompletableFuture()).isNotDone();
    scheduler.runAll();

    assertThat(result(out)).isEqualTo("ok");
    assertThat(s.calls).isEqualTo(2);
    assertThat(f.retries()).isEqualTo(1);
    assertThat(scheduler.delays).hasSize(1);
    assertThat(scheduler.delays.get(0)).isBetween(0L, 25_000_000L);
  }

  @Test
  void apply_nonRetryable_notRetried() {
    ScriptedService s = new ScriptedService("throw");
    RetryFilter<String, String> f = builder().build();

    CompletionStage<String> out = f.andThen(s).apply("q");
    scheduler.runAll();

    assertThat(out.toCompletableFuture()).isCompletedExceptionally();
    assertThat(s.calls).isEqualTo(1);
  }

  @Test
  void apply_alwaysRetryable_stopsAtMaxAttempts() {
    ScriptedService s = new ScriptedService("retry", "retry", "retry", "retry");
    RetryFilter<String, String> f = builder().maxAttempts(3).build();

    CompletionStage<String> out = f.andThen(s).apply("q");
    scheduler.runAll();

    assertThat(result(out)).isEqualTo("retry");
    assertThat(s.calls).isEqualTo(3);
  }

  @Test
  void apply_budgetEmpty_returnsFailureAsIs() {
    RetryBudget empty =
        RetryBudget.newBuilder().clock(clock).minRetriesPerSecond(0).percentCanRetry(0).build();
    ScriptedService s = new ScriptedService("retry");
    RetryFilter<String, String> f = builder().budget(empty).build();

    CompletionStage<String> out = f.andThen(s).apply("q");

    assertThat(result(out)).isEqualTo("retry");
    assertThat(f.refusedByBudget()).isEqualTo(1);
    assertThat(s.calls).isEqualTo(1);
  }

  @Test
  void apply_deadlineTooClose_noRetry() {
    Service<String, String> slow =
        request -> {
          clock.advance(Duration.ofMillis(600));
          return CompletableFuture.completedFuture("retry");
        };
    RetryFilter<String, String> f = builder().backoff(Backoff.none()).build();

    CompletionStage<String> out = f.andThen(slow).apply("q");

    assertThat(result(out)).isEqualTo("retry");
    assertThat(f.refusedByDeadline()).isEqualTo(1);
    assertThat(f.retries()).isZero();
  }

  @Test
  void apply_deadlineRoomy_retries() {
    Service<String, String> quick =
        new Service<>() {
          int calls;

          @Override
          public CompletionStage<String> apply(String request) {
            clock.advance(Duration.ofMillis(100));
            return CompletableFuture.completedFuture(calls++ == 0 ? "retry" : "ok");
          }
        };
    RetryFilter<String, String> f = builder().backoff(Backoff.none()).build();

    CompletionStage<String> out = f.andThen(quick).apply("q");
    scheduler.runAll();

    assertThat(result(out)).isEqualTo("ok");
    assertThat(f.refusedByDeadline()).isZero();
  }

  @Test
  void apply_serviceThrowsSynchronously_failedStage() {
    Service<String, String> throwing =
        request -> {
          throw new IllegalStateException("sync");
        };

    CompletionStage<String> out = builder().build().andThen(throwing).apply("q");

    assertThat(out.toCompletableFuture()).isCompletedExceptionally();
  }

  @Test
  void apply_depositsOncePerRequest_notPerRetry() {
    RetryBudget budget =
        RetryBudget.newBuilder().clock(clock).minRetriesPerSecond(0).percentCanRetry(1).build();
    ScriptedService s = new ScriptedService("retry", "retry");
    RetryFilter<String, String> f = builder().budget(budget).build();

    CompletionStage<String> out = f.andThen(s).apply("q");
    scheduler.runAll();

    assertThat(result(out)).isEqualTo("retry");
    assertThat(f.retries()).isEqualTo(1);
    assertThat(f.refusedByBudget()).isEqualTo(1);
  }
}
