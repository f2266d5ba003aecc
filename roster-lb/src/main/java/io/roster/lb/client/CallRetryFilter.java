package io.roster.lb.client;

import io.roster.lb.Filter;
import io.roster.lb.NotSentException;
import io.roster.lb.ResponseClass;
import io.roster.lb.ResponseClassifier;
import io.roster.lb.Scheduler;
import io.roster.lb.Service;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpResponse;
import io.roster.lb.http.RetryAfter;
import io.roster.lb.retry.Backoff;
import io.roster.lb.retry.DeadlineGate;
import io.roster.lb.retry.RetryBudget;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/*
 * Retries and requeues of one call, sharing one RetryBudget with hedging (client-resilience.md
 * §9.3; Finagle RequeueFilter + RetryFilter). After each try the outcome is classified; a try is
 * repeated only if all of these hold, in this order:
 *
 *   1. the call is not cancelled (its deadline passed) and the classifier says RETRYABLE_FAILURE;
 *   2. it is a requeue (a NotSentException: nothing reached the wire, safe for any method), or the
 *      call may be retried at all (its inbound request was not itself a retry, see RosterHeaders);
 *   3. fewer than maxAttempts attempts have been made, hedges and requeues included;
 *   4. the delay — none for a requeue, full-jitter backoff otherwise, and never less than the
 *      response's Retry-After (429/503) — leaves room before the deadline for 1.5 × the typical
 *      attempt (the deadline gate); a Retry-After beyond the deadline therefore means no retry;
 *   5. the budget has a token.
 *
 * Each call deposits once. Different endpoint: the call's tried set travels with it, and the
 * balancer avoids its members. The classifier sees the logical request, so idempotency decides
 * whether timeouts and 5xx are retryable (see HttpClassifier).
 */
final class CallRetryFilter implements Filter<Call, HttpResponse, Call, HttpResponse> {
  private final ResponseClassifier<HttpRequest, HttpResponse> classifier;
  private final RetryBudget budget;
  private final Backoff backoff;
  private final int maxAttempts;
  private final DeadlineGate gate;
  private final Scheduler scheduler;
  private final LongSupplier clock;
  private final LongSupplier wallMillis;
  private final Supplier<RandomGenerator> random;
  final LongAdder retries = new LongAdder();
  final LongAdder requeues = new LongAdder();
  final LongAdder refusedByBudget = new LongAdder();
  final LongAdder refusedByDeadline = new LongAdder();

  CallRetryFilter(
      ResponseClassifier<HttpRequest, HttpResponse> classifier,
      RetryBudget budget,
      Backoff backoff,
      int maxAttempts,
      double deadlineSafety,
      Scheduler scheduler,
      LongSupplier clock,
      LongSupplier wallMillis,
      Supplier<RandomGenerator> random) {
    this.classifier = classifier;
    this.budget = budget;
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.gate = new DeadlineGate(deadlineSafety);
    this.scheduler = scheduler;
    this.clock = clock;
    this.wallMillis = wallMillis;
    this.random = random;
  }

  @Override
  public CompletionStage<HttpResponse> apply(Call call, Service<Call, HttpResponse> next) {
    budget.deposit();
    CompletableFuture<HttpResponse> out = new CompletableFuture<>();
    attempt(call, next, 1, out);
    return out;
  }

  private void attempt(
      Call call,
      Service<Call, HttpResponse> next,
      int tryNumber,
      CompletableFuture<HttpResponse> out) {
    long start = clock.getAsLong();
    CompletionStage<HttpResponse> stage;
    try {
      stage = next.apply(call);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (reply, failure) -> {
          long now = clock.getAsLong();
          Throwable cause = unwrap(failure);
          if (!(cause instanceof NotSentException)) {
            gate.observe(now - start);
          }
          long delay = delayBeforeRetry(call, tryNumber, reply, cause, now);
          if (delay >= 0) {
            scheduler.schedule(delay, () -> attempt(call, next, tryNumber + 1, out));
          } else if (cause != null) {
            out.completeExceptionally(cause);
          } else if (reply != null) {
            out.complete(reply);
          }
        });
  }

  /** The delay before the next try, or −1 for none. */
  private long delayBeforeRetry(
      Call call,
      int tryNumber,
      @Nullable HttpResponse reply,
      @Nullable Throwable failure,
      long now) {
    if (call.cancellation.cancelled()
        || classifier.classify(call.request, reply, failure) != ResponseClass.RETRYABLE_FAILURE) {
      return -1;
    }
    boolean requeue = failure instanceof NotSentException;
    if ((!requeue && !call.retriesAllowed) || call.attempts() >= maxAttempts) {
      return -1;
    }
    long delay = requeue ? 0 : backoff.delayNanos(tryNumber, random.get());
    long pushback =
        reply == null ? RetryAfter.NONE : RetryAfter.delayNanos(reply, wallMillis.getAsLong());
    if (pushback != RetryAfter.NONE) {
      delay = Math.max(delay, pushback);
    }
    if (!gate.admits(now, call.deadline, delay)) {
      refusedByDeadline.increment();
      return -1;
    }
    if (!budget.tryWithdraw()) {
      refusedByBudget.increment();
      return -1;
    }
    (requeue ? requeues : retries).increment();
    return delay;
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
