package io.roster.lb.client;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.lb.Filter;
import io.roster.lb.ResponseClass;
import io.roster.lb.ResponseClassifier;
import io.roster.lb.Scheduler;
import io.roster.lb.Service;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpResponse;
import io.roster.lb.retry.RetryBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/*
 * Budgeted hedging, or backup requests (Dean & Barroso, "The Tail at Scale", CACM 2013; Finagle
 * BackupRequestFilter; client-resilience.md §9.3). Each try of a call is one attempt; if it has not
 * answered after the hedge delay — a high percentile of recent successful attempt latencies (p95 by
 * default) — a second attempt of the same request goes out, to a different endpoint (the call's
 * tried set makes the balancer avoid the first). The first final answer wins (a success, or a
 * failure that is not retryable), and the other attempt is cancelled: its pool wait withdrawn or
 * its connection closed, and the balancer told to forget it. A retryable failure of one attempt
 * waits for the other; only when both have failed does the try fail, for the retry layer above to
 * judge.
 *
 * Limits: only idempotent requests whose call may be retried (see RosterHeaders), only after
 * minSamples latencies in the window (a cold client has no idea what "slow" is; Finagle waits for
 * about 10 QPS), only while the call is under maxAttempts, and only if the shared retry budget has
 * a token — so hedges, retries and requeues together stay within the same 20% + 10/s.
 *
 * Off by default. Without hedging this filter just turns the call into a single attempt.
 */
final class HedgeFilter implements Filter<Call, HttpResponse, Attempt, HttpResponse> {
  private final boolean enabled;
  private final LatencyWindow latency;
  private final long minSamples;
  private final RetryBudget budget;
  private final int maxAttempts;
  private final ResponseClassifier<HttpRequest, HttpResponse> classifier;
  private final Scheduler scheduler;
  private final LongSupplier clock;
  final LongAdder hedges = new LongAdder();
  final LongAdder hedgesWon = new LongAdder();
  final LongAdder refusedByBudget = new LongAdder();

  HedgeFilter(
      boolean enabled,
      LatencyWindow latency,
      long minSamples,
      RetryBudget budget,
      int maxAttempts,
      ResponseClassifier<HttpRequest, HttpResponse> classifier,
      Scheduler scheduler,
      LongSupplier clock) {
    this.enabled = enabled;
    this.latency = latency;
    this.minSamples = minSamples;
    this.budget = budget;
    this.maxAttempts = maxAttempts;
    this.classifier = classifier;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  @Override
  public CompletionStage<HttpResponse> apply(Call call, Service<Attempt, HttpResponse> next) {
    Attempt first = call.newAttempt(clock.getAsLong());
    if (!enabled) {
      return next.apply(first);
    }
    Race race = new Race(call, first);
    boolean hedge =
        call.request.idempotent()
            && call.retriesAllowed
            && call.attempts() < maxAttempts
            && latency.count() >= minSamples;
    race.launch(first, next);
    if (hedge) {
      scheduler.schedule(latency.percentileNanos(), () -> race.hedge(next));
    }
    return race.out;
  }

  /** The hedge delay now, in nanoseconds: the window's percentile. */
  long delayNanos() {
    return latency.percentileNanos();
  }

  /** The attempts of one try racing each other. */
  private final class Race {
    final Call call;
    final Attempt first;
    final CompletableFuture<HttpResponse> out = new CompletableFuture<>();

    @GuardedBy("this")
    final List<Attempt> running = new ArrayList<>(2);

    Race(Call call, Attempt first) {
      this.call = call;
      this.first = first;
    }

    void launch(Attempt attempt, Service<Attempt, HttpResponse> next) {
      synchronized (this) {
        running.add(attempt);
      }
      CompletionStage<HttpResponse> stage;
      try {
        stage = next.apply(attempt);
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.whenComplete((reply, failure) -> ended(attempt, reply, unwrap(failure)));
    }

    void hedge(Service<Attempt, HttpResponse> next) {
      synchronized (this) {
        if (running.isEmpty()) {
          return;
        }
      }
      if (out.isDone()
          || call.cancellation.cancelled()
          || call.attempts() >= maxAttempts
          || clock.getAsLong() - call.deadline >= 0) {
        return;
      }
      if (!budget.tryWithdraw()) {
        refusedByBudget.increment();
        return;
      }
      hedges.increment();
      launch(call.newAttempt(clock.getAsLong()), next);
    }

    private void ended(Attempt attempt, @Nullable HttpResponse reply, @Nullable Throwable failure) {
      boolean othersRunning;
      synchronized (this) {
        running.remove(attempt);
        othersRunning = !running.isEmpty();
      }
      if (attempt.cancellation.cancelled()) {
        return;
      }
      ResponseClass c = classifier.classify(call.request, reply, failure);
      if (c == ResponseClass.SUCCESS) {
        latency.record(clock.getAsLong() - attempt.start);
      }
      if (c == ResponseClass.RETRYABLE_FAILURE && othersRunning) {
        return;
      }
      boolean won =
          failure != null
              ? out.completeExceptionally(failure)
              : reply != null && out.complete(reply);
      if (won && c != ResponseClass.RETRYABLE_FAILURE) {
        if (attempt != first) {
          hedgesWon.increment();
        }
        cancelOthers();
      }
    }

    private void cancelOthers() {
      List<Attempt> others;
      synchronized (this) {
        others = new ArrayList<>(running);
        running.clear();
      }
      for (Attempt a : others) {
        a.cancellation.cancel();
      }
    }
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
