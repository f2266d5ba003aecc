package io.roster.lb.retry;

import io.roster.lb.Filter;
import io.roster.lb.ResponseClass;
import io.roster.lb.ResponseClassifier;
import io.roster.lb.Scheduler;
import io.roster.lb.Service;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Retries requests whose outcome the classifier calls {@link ResponseClass#RETRYABLE_FAILURE}. A
 * retry is sent only if all of these hold, checked in this order:
 *
 * <ol>
 *   <li>fewer than {@code maxAttempts} attempts have been made (default 3, the SRE book's cap);
 *   <li>the request's deadline — arrival + {@code totalTimeout} — leaves room for the backoff plus
 *       1.5 × the typical attempt latency (the deadline-aware gate);
 *   <li>the shared {@link RetryBudget} has a token.
 * </ol>
 *
 * Otherwise the caller gets the last attempt's outcome as it was. Each original request deposits
 * into the budget once. Retries wait a {@link Backoff} delay (full jitter, 25–250 ms by default) on
 * the given {@link Scheduler}. The filter neither cancels attempts nor enforces the deadline on the
 * attempt in flight; that is a timeout filter's job, placed below this one.
 *
 * <p>Place it above the balancer so that each retry is balanced afresh; with P2C the retry then
 * usually lands elsewhere, and an endpoint that keeps failing is soon ejected.
 *
 * <p>Thread-safe and non-blocking.
 *
 * @param <Req> request type; it is sent again unchanged, so it must be immutable or reusable
 * @param <Rep> reply type
 */
public final class RetryFilter<Req, Rep> implements Filter<Req, Rep, Req, Rep> {
  private final ResponseClassifier<Req, Rep> classifier;
  private final Scheduler scheduler;
  private final long totalTimeoutNanos;
  private final RetryBudget budget;
  private final Backoff backoff;
  private final int maxAttempts;
  private final LongSupplier clock;
  private final Supplier<RandomGenerator> random;
  private final DeadlineGate gate;
  private final LongAdder retries = new LongAdder();
  private final LongAdder refusedByBudget = new LongAdder();
  private final LongAdder refusedByDeadline = new LongAdder();

  private RetryFilter(Builder<Req, Rep> b) {
    this.classifier = b.classifier;
    this.scheduler = b.scheduler;
    this.totalTimeoutNanos = b.totalTimeout.toNanos();
    this.budget = b.budget != null ? b.budget : RetryBudget.newBuilder().clock(b.clock).build();
    this.backoff = b.backoff;
    this.maxAttempts = b.maxAttempts;
    this.clock = b.clock;
    this.random = b.random;
    this.gate = new DeadlineGate(b.deadlineSafety);
  }

  /**
   * A builder. {@code classifier} decides what is retryable, {@code scheduler} runs delayed
   * retries, and {@code totalTimeout} bounds each request's whole life, retries included.
   *
   * @throws IllegalArgumentException if {@code totalTimeout} is not positive
   */
  public static <Req, Rep> Builder<Req, Rep> newBuilder(
      ResponseClassifier<Req, Rep> classifier, Scheduler scheduler, Duration totalTimeout) {
    return new Builder<>(classifier, scheduler, totalTimeout);
  }

  @Override
  public CompletionStage<Rep> apply(Req request, Service<Req, Rep> next) {
    budget.deposit();
    long now = clock.getAsLong();
    CompletableFuture<Rep> result = new CompletableFuture<>();
    attempt(request, next, 1, now + totalTimeoutNanos, result);
    return result;
  }

  /** Retries sent so far. */
  public long retries() {
    return retries.sum();
  }

  /** Retryable failures returned as they were because the budget was empty. */
  public long refusedByBudget() {
    return refusedByBudget.sum();
  }

  /** Retryable failures returned as they were because the deadline left no room. */
  public long refusedByDeadline() {
    return refusedByDeadline.sum();
  }

  private void attempt(
      Req request, Service<Req, Rep> next, int attempt, long deadline, CompletableFuture<Rep> out) {
    long start = clock.getAsLong();
    CompletionStage<Rep> stage;
    try {
      stage = next.apply(request);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (reply, failure) -> {
          long now = clock.getAsLong();
          gate.observe(now - start);
          Throwable cause = unwrap(failure);
          if (shouldRetry(request, reply, cause, attempt, now, deadline, next, out)) {
            return;
          }
          if (cause != null) {
            out.completeExceptionally(cause);
          } else {
            out.complete(reply);
          }
        });
  }

  private boolean shouldRetry(
      Req request,
      @Nullable Rep reply,
      @Nullable Throwable failure,
      int attempt,
      long now,
      long deadline,
      Service<Req, Rep> next,
      CompletableFuture<Rep> out) {
    if (attempt >= maxAttempts
        || classifier.classify(request, reply, failure) != ResponseClass.RETRYABLE_FAILURE) {
      return false;
    }
    long delay = backoff.delayNanos(attempt, random.get());
    if (!gate.admits(now, deadline, delay)) {
      refusedByDeadline.increment();
      return false;
    }
    if (!budget.tryWithdraw()) {
      refusedByBudget.increment();
      return false;
    }
    retries.increment();
    scheduler.schedule(delay, () -> attempt(request, next, attempt + 1, deadline, out));
    return true;
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Configures a {@link RetryFilter}. Not thread-safe. */
  public static final class Builder<Req, Rep> {
    private final ResponseClassifier<Req, Rep> classifier;
    private final Scheduler scheduler;
    private final Duration totalTimeout;
    private @Nullable RetryBudget budget;
    private Backoff backoff = Backoff.fullJitter(Duration.ofMillis(25), Duration.ofMillis(250));
    private int maxAttempts = 3;
    private double deadlineSafety = 1.5;
    private LongSupplier clock = System::nanoTime;
    private Supplier<RandomGenerator> random = ThreadLocalRandom::current;

    private Builder(
        ResponseClassifier<Req, Rep> classifier, Scheduler scheduler, Duration totalTimeout) {
      if (totalTimeout.isNegative() || totalTimeout.isZero()) {
        throw new IllegalArgumentException("totalTimeout must be positive");
      }
      this.classifier = classifier;
      this.scheduler = scheduler;
      this.totalTimeout = totalTimeout;
    }

    /** The budget to share; default a private budget with default settings on this clock. */
    public Builder<Req, Rep> budget(RetryBudget budget) {
      this.budget = budget;
      return this;
    }

    /** Delay before each retry; default full jitter, base 25 ms, cap 250 ms. */
    public Builder<Req, Rep> backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    /**
     * Attempts per request including the first; default 3.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder<Req, Rep> maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be ≥ 1");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * A retry needs this many typical attempt latencies left before the deadline; default 1.5.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder<Req, Rep> deadlineSafety(double factor) {
      if (!(factor >= 0)) {
        throw new IllegalArgumentException("deadlineSafety must be ≥ 0");
      }
      this.deadlineSafety = factor;
      return this;
    }

    /** Nanosecond clock; default {@link System#nanoTime()}. */
    public Builder<Req, Rep> clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /** Randomness for backoff jitter; must be thread-safe if shared across threads. */
    public Builder<Req, Rep> random(RandomGenerator random) {
      this.random = () -> random;
      return this;
    }

    /** The filter. */
    public RetryFilter<Req, Rep> build() {
      return new RetryFilter<>(this);
    }
  }
}
