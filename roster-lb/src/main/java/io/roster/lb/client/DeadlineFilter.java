package io.roster.lb.client;

import io.roster.lb.Filter;
import io.roster.lb.Scheduler;
import io.roster.lb.Service;
import io.roster.lb.http.DeadlineExceededException;
import io.roster.lb.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The top of the stack: a call gets an answer by its deadline or fails with {@link
 * DeadlineExceededException}, and at the deadline every attempt still running is cancelled (their
 * connections closed, their pool waits withdrawn). Whatever the layers below do — retries, backoff,
 * hedges — is bounded by this one timer. A call whose deadline has already passed fails at once. A
 * failure that arrives once the deadline has passed (an attempt timeout capped by the deadline,
 * racing this timer) is reported as the deadline, too.
 */
final class DeadlineFilter implements Filter<Call, HttpResponse, Call, HttpResponse> {
  private final Scheduler scheduler;
  private final LongSupplier clock;
  private final LongAdder exceeded = new LongAdder();

  DeadlineFilter(Scheduler scheduler, LongSupplier clock) {
    this.scheduler = scheduler;
    this.clock = clock;
  }

  @Override
  public CompletionStage<HttpResponse> apply(Call call, Service<Call, HttpResponse> next) {
    long left = call.deadline - clock.getAsLong();
    Duration budget = Duration.ofNanos(Math.max(0, call.deadline - call.start));
    if (left <= 0) {
      exceeded.increment();
      return CompletableFuture.failedFuture(new DeadlineExceededException(budget));
    }
    CompletableFuture<HttpResponse> out = new CompletableFuture<>();
    scheduler.schedule(
        left,
        () -> {
          exceeded.increment();
          if (out.completeExceptionally(new DeadlineExceededException(budget))) {
            call.cancellation.cancel();
          } else {
            exceeded.decrement();
          }
        });
    next.apply(call)
        .whenComplete(
            (reply, failure) -> {
              if (failure != null && clock.getAsLong() - call.deadline >= 0) {
                exceeded.increment();
                if (out.completeExceptionally(new DeadlineExceededException(budget))) {
                  call.cancellation.cancel();
                } else {
                  exceeded.decrement();
                }
              } else if (failure != null) {
                out.completeExceptionally(
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure);
              } else {
                out.complete(reply);
              }
            });
    return out;
  }

  long exceeded() {
    return exceeded.sum();
  }
}
