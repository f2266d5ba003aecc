package io.roster.lb.retry;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Caps retries at a share of recent traffic plus a small constant rate, so that retries can never
 * multiply load during an outage (Finagle {@code RetryBudget}, "Retry budgets" blog 2016; {@code
 * client-resilience.md} §1.5, §9.3). One budget should be shared by everything that sends a request
 * again: retries, requeues and hedges.
 *
 * <p>It is a leaky token bucket over a sliding window of {@code ttl}: every request {@link
 * #deposit() deposits} {@code percentCanRetry} of a token, every retry {@link #tryWithdraw()
 * withdraws} one, and both expire after {@code ttl}. On top sits a reserve of {@code
 * minRetriesPerSecond × ttl} tokens, which (because withdrawals expire too) refills at {@code
 * minRetriesPerSecond}, so that low-traffic clients can still retry. Defaults: ttl 10 s, 10 retries
 * per second, 20% of requests; worst-case extra load is therefore 1.2× plus 10 requests per second.
 *
 * <p>Tokens are counted in thousandths, as in Finagle, so percentages stay integral. Thread-safe;
 * each call takes a short lock and never blocks otherwise.
 */
public final class RetryBudget {
  private static final long SCALE = 1000;

  private final WindowedAdder window;
  private final long depositAmount;
  private final long reserve;

  private RetryBudget(Builder b) {
    this.window = new WindowedAdder(b.clock, b.ttl.toNanos(), 10);
    this.depositAmount = Math.round(b.percentCanRetry * SCALE);
    this.reserve = Math.round(b.minRetriesPerSecond * (b.ttl.toNanos() / 1e9) * SCALE);
  }

  /** A builder with the defaults above and the system nano clock. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Records one original request (not a retry). */
  public void deposit() {
    if (depositAmount > 0) {
      window.add(depositAmount);
    }
  }

  /** Takes one retry's worth of tokens if there is one; returns whether the retry may go. */
  public boolean tryWithdraw() {
    return window.tryTake(SCALE, reserve);
  }

  /** Whole retries the budget would allow right now. */
  public long balance() {
    return Math.max(0, (window.sum() + reserve) / SCALE);
  }

  /** Configures a {@link RetryBudget}. Not thread-safe. */
  public static final class Builder {
    private LongSupplier clock = System::nanoTime;
    private Duration ttl = Duration.ofSeconds(10);
    private double minRetriesPerSecond = 10;
    private double percentCanRetry = 0.2;

    private Builder() {}

    /** Nanosecond clock; default {@link System#nanoTime()}. */
    public Builder clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /**
     * How long deposits and withdrawals count; 1 to 60 s, default 10 s.
     *
     * @throws IllegalArgumentException outside that range
     */
    public Builder ttl(Duration ttl) {
      if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new IllegalArgumentException("ttl must be within [1s, 60s]: " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * Retries always allowed per second, regardless of traffic; default 10.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder minRetriesPerSecond(double perSecond) {
      if (!(perSecond >= 0)) {
        throw new IllegalArgumentException("minRetriesPerSecond must be ≥ 0");
      }
      this.minRetriesPerSecond = perSecond;
      return this;
    }

    /**
     * Retries allowed as a share of requests; 0 to 1000, default 0.2.
     *
     * @throws IllegalArgumentException outside that range
     */
    public Builder percentCanRetry(double share) {
      if (!(share >= 0 && share <= 1000)) {
        throw new IllegalArgumentException("percentCanRetry must be within [0, 1000]");
      }
      this.percentCanRetry = share;
      return this;
    }

    /** The budget. */
    public RetryBudget build() {
      return new RetryBudget(this);
    }
  }
}
