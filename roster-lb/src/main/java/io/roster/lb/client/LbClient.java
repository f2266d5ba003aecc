package io.roster.lb.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.roster.lb.EndpointSource;
import io.roster.lb.ResponseClassifier;
import io.roster.lb.Scheduler;
import io.roster.lb.Service;
import io.roster.lb.balancer.Balancer;
import io.roster.lb.balancer.Balancers;
import io.roster.lb.balancer.Policy;
import io.roster.lb.failure.ActiveHealthCheck;
import io.roster.lb.failure.Ejector;
import io.roster.lb.failure.FailureDetector;
import io.roster.lb.http.HttpClassifier;
import io.roster.lb.http.HttpEndpoint;
import io.roster.lb.http.HttpRequest;
import io.roster.lb.http.HttpResponse;
import io.roster.lb.http.HttpTransport;
import io.roster.lb.http.Inbound;
import io.roster.lb.pool.PoolSettings;
import io.roster.lb.retry.Backoff;
import io.roster.lb.retry.RetryBudget;
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
 * A load-balanced HTTP/1.1 client over the endpoints of one service: the whole roster-lb stack
 * behind one {@link #send} method. The stack is assembled, with the reason for each position, in
 * {@link Builder#build()}.
 *
 * <p><b>Contract.</b> {@link #send} never blocks and never throws; the future completes with the
 * first final response (any status: a 404 or a 503 that could not be retried is a response) or
 * fails with {@link io.roster.lb.http.DeadlineExceededException}, a {@link
 * io.roster.lb.NotSentException} (nothing was sent anywhere), {@link
 * io.roster.lb.balancer.NoEndpointsException}, or the last attempt's transport failure ({@link
 * io.roster.lb.http.AttemptTimeoutException}, {@link io.roster.lb.http.ConnectionLostException}). A
 * failed call may still have been processed by an endpoint unless the failure is a {@code
 * NotSentException}. Callbacks run on the transport's event loop: do not block in them.
 *
 * <p>Thread-safe. {@link #close()} stops following the endpoint source and closes the pools
 * (gracefully), and the transport if the client created it.
 */
public final class LbClient implements AutoCloseable {
  private final Service<Call, HttpResponse> stack;
  private final LongSupplier clock;
  private final long totalTimeoutNanos;
  private final Balancer balancer;
  private final RetryBudget budget;
  private final EndpointPools pools;
  private final EndpointSource.Subscription subscription;
  private final @Nullable HttpTransport ownedTransport;
  private final DeadlineFilter deadline;
  private final CallRetryFilter retries;
  private final HedgeFilter hedging;
  private final LongAdder calls = new LongAdder();

  private LbClient(
      Service<Call, HttpResponse> stack,
      Builder b,
      Balancer balancer,
      RetryBudget budget,
      EndpointPools pools,
      EndpointSource source,
      @Nullable HttpTransport ownedTransport,
      DeadlineFilter deadline,
      CallRetryFilter retries,
      HedgeFilter hedging) {
    this.stack = stack;
    this.clock = b.clock;
    this.totalTimeoutNanos = b.totalTimeout.toNanos();
    this.balancer = balancer;
    this.budget = budget;
    this.pools = pools;
    this.ownedTransport = ownedTransport;
    this.deadline = deadline;
    this.retries = retries;
    this.hedging = hedging;
    this.subscription = source.subscribe(pools::update);
  }

  /** A builder for a client over {@code source}'s endpoints, with the defaults listed there. */
  public static Builder newBuilder(EndpointSource source) {
    return new Builder(source);
  }

  /** Sends {@code request} with the client's total timeout and retries allowed. */
  public CompletableFuture<HttpResponse> send(HttpRequest request) {
    return send(request, Inbound.none(clock.getAsLong()));
  }

  /**
   * Sends {@code request} on behalf of an incoming request: the deadline is the earlier of the
   * client's total timeout and the inbound one, and if the inbound request is itself a retry
   * ({@link Inbound#retriesAllowed()} false) this call is neither retried nor hedged (requeues of
   * attempts that never reached the wire still happen).
   */
  public CompletableFuture<HttpResponse> send(HttpRequest request, Inbound inbound) {
    calls.increment();
    long now = clock.getAsLong();
    long due = Math.min(now + totalTimeoutNanos, inbound.deadlineNanos());
    Call call = new Call(request, now, due, inbound.retriesAllowed());
    CompletableFuture<HttpResponse> out = new CompletableFuture<>();
    stack
        .apply(call)
        .whenComplete(
            (reply, failure) -> {
              if (failure != null) {
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

  /** The balancer, for inspection (its endpoints, status). */
  public Balancer balancer() {
    return balancer;
  }

  /** The retry budget shared by retries, requeues and hedges. */
  public RetryBudget budget() {
    return budget;
  }

  /** The pool-owning view of the endpoint at {@code address}, or null if it is not in use. */
  public @Nullable HttpEndpoint endpoint(String address) {
    return pools.endpoint(address);
  }

  /** Counters since the client was built. */
  public Stats stats() {
    return new Stats(
        calls.sum(),
        retries.retries.sum(),
        retries.requeues.sum(),
        hedging.hedges.sum(),
        hedging.hedgesWon.sum(),
        retries.refusedByBudget.sum() + hedging.refusedByBudget.sum(),
        retries.refusedByDeadline.sum(),
        deadline.exceeded());
  }

  @Override
  public void close() {
    subscription.close();
    pools.close();
    if (ownedTransport != null) {
      ownedTransport.close();
    }
  }

  /**
   * What a client has done so far.
   *
   * @param calls logical requests
   * @param retries retries after a response or failure that may have been processed
   * @param requeues retries of attempts that never reached the wire
   * @param hedges hedge attempts sent
   * @param hedgesWon hedges that answered before the attempt they backed up
   * @param refusedByBudget retries and hedges the budget refused
   * @param refusedByDeadline retries the deadline gate refused (Retry-After included)
   * @param deadlineExceeded calls that failed with their deadline
   */
  public record Stats(
      long calls,
      long retries,
      long requeues,
      long hedges,
      long hedgesWon,
      long refusedByBudget,
      long refusedByDeadline,
      long deadlineExceeded) {}

  /**
   * Configures an {@link LbClient}. Not thread-safe; setters throw {@link IllegalArgumentException}
   * on bad values. Defaults ({@code client-resilience.md} §9): P2C peak-EWMA with the default
   * {@link Ejector}; total timeout 2 s and no separate per-attempt timeout; at most 3 attempts;
   * full-jitter backoff 25–250 ms; a private default {@link RetryBudget}; hedging off; {@link
   * HttpClassifier#defaults()}; {@link PoolSettings#defaults()}; a private {@link HttpTransport}.
   */
  public static final class Builder {
    private final EndpointSource source;
    private String name = "default";
    private @Nullable HttpTransport transport;
    private Policy policy = Policy.P2C_PEAK_EWMA;
    private @Nullable String localZone;
    private @Nullable FailureDetector detector;
    private Duration totalTimeout = Duration.ofSeconds(2);
    private @Nullable Duration attemptTimeout;
    private int maxAttempts = 3;
    private Backoff backoff = Backoff.fullJitter(Duration.ofMillis(25), Duration.ofMillis(250));
    private @Nullable RetryBudget budget;
    private double hedgePercentile;
    private long hedgeMinSamples = 100;
    private ResponseClassifier<HttpRequest, HttpResponse> classifier = HttpClassifier.defaults();
    private PoolSettings pool = PoolSettings.defaults();
    private LongSupplier clock = System::nanoTime;
    private LongSupplier wallMillis = System::currentTimeMillis;
    private Supplier<RandomGenerator> random = ThreadLocalRandom::current;
    private @Nullable MeterRegistry registry;
    private @Nullable String healthPath;
    private Duration healthInterval = Duration.ofSeconds(10);

    private Builder(EndpointSource source) {
      this.source = source;
    }

    /** The client's name, its {@code client} tag in metrics; default {@code default}. */
    public Builder name(String name) {
      require(!name.isBlank(), "blank name");
      this.name = name;
      return this;
    }

    /** A transport to share with other clients (the caller closes it); default a private one. */
    public Builder transport(HttpTransport transport) {
      this.transport = transport;
      return this;
    }

    /** The balancing policy; default {@link Policy#P2C_PEAK_EWMA}. */
    public Builder policy(Policy policy) {
      this.policy = policy;
      return this;
    }

    /** Prefer endpoints in this zone, failing over when it is unhealthy; default none. */
    public Builder localZone(@Nullable String zone) {
      this.localZone = zone;
      return this;
    }

    /** Failure detection; default an {@link Ejector} with its defaults on this clock. */
    public Builder failureDetector(FailureDetector detector) {
      this.detector = detector;
      return this;
    }

    /** Total time for a call, retries included; default 2 s. */
    public Builder totalTimeout(Duration d) {
      require(!d.isNegative() && !d.isZero(), "totalTimeout must be positive");
      this.totalTimeout = d;
      return this;
    }

    /** Time for one attempt (capped by what is left of the total); default the total. */
    public Builder attemptTimeout(Duration d) {
      require(!d.isNegative() && !d.isZero(), "attemptTimeout must be positive");
      this.attemptTimeout = d;
      return this;
    }

    /** Attempts per call, hedges and requeues included; default 3. */
    public Builder maxAttempts(int n) {
      require(n >= 1, "maxAttempts must be ≥ 1");
      this.maxAttempts = n;
      return this;
    }

    /** Delay before a retry (requeues are immediate); default full jitter 25–250 ms. */
    public Builder backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    /** The budget (share it between clients of one service if you like); default a new one. */
    public Builder budget(RetryBudget budget) {
      this.budget = budget;
      return this;
    }

    /**
     * Turns hedging on: an idempotent attempt still unanswered at the {@code percentile} of recent
     * attempt latencies gets a backup on another endpoint, once {@code minSamples} latencies are
     * known. Hedges draw on the retry budget. Default off.
     */
    public Builder hedging(double percentile, long minSamples) {
      require(percentile > 0 && percentile < 100, "percentile must be in (0, 100)");
      require(minSamples >= 1, "minSamples must be ≥ 1");
      this.hedgePercentile = percentile;
      this.hedgeMinSamples = minSamples;
      return this;
    }

    /** What counts as success and what may be retried; default {@link HttpClassifier}. */
    public Builder classifier(ResponseClassifier<HttpRequest, HttpResponse> classifier) {
      this.classifier = classifier;
      return this;
    }

    /** Per-endpoint pool limits; default {@link PoolSettings#defaults()}. */
    public Builder pool(PoolSettings settings) {
      this.pool = settings;
      return this;
    }

    /** Nanosecond clock; default {@link System#nanoTime()}. */
    public Builder clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /** Wall clock in epoch milliseconds, for {@code Retry-After} dates. */
    public Builder wallClock(LongSupplier epochMillis) {
      this.wallMillis = epochMillis;
      return this;
    }

    /** A fixed, thread-safe random source (tests); default thread-local randomness. */
    public Builder random(RandomGenerator random) {
      this.random = () -> random;
      return this;
    }

    /**
     * Turns on active health checks: every {@code interval} (± 10%) each endpoint gets {@code GET
     * path} on its own pool with a 1 s timeout; 2 non-2xx answers or failures in a row mark it
     * unhealthy, 2 successes healthy again (see {@link ActiveHealthCheck}). Default off.
     */
    public Builder healthCheck(String path, Duration interval) {
      require(path.startsWith("/"), "path must start with /");
      require(!interval.isNegative() && !interval.isZero(), "interval must be positive");
      this.healthPath = path;
      this.healthInterval = interval;
      return this;
    }

    /** Where to register metrics (see the meter table in the package docs); default none. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /**
     * Builds the stack and subscribes to the endpoint source (new endpoints' pools start warming up
     * at once). Top to bottom, each layer wraps the ones below it:
     *
     * <ol>
     *   <li><b>Deadline</b> ({@code DeadlineFilter}). First, so that everything below — retries,
     *       backoff sleeps, hedges — lives inside one total deadline, and so that its timer can
     *       cancel every attempt still running when time is up.
     *   <li><b>Retries and requeues</b> ({@code CallRetryFilter}), drawing on the shared budget.
     *       Above hedging, so that a hedged try counts as one try; above the balancer, so that
     *       every retry is balanced afresh (on an endpoint the call has not tried) with load and
     *       health that already include the failure it retries.
     *   <li><b>Hedging</b> ({@code HedgeFilter}), drawing on the same budget. Below retries (a
     *       hedge is a second attempt of one try, not a new try) and above the balancer (the hedge
     *       must be balanced on its own, to a different endpoint). It turns a call into attempts.
     *   <li><b>Balancer</b> ({@link Balancers#service}): picks an endpoint per attempt, avoiding
     *       the call's earlier endpoints.
     *   <li><b>Per-endpoint failure accounting</b>: the balancer's pick is released with the
     *       classified outcome before the layers above see it, feeding the load metric and the
     *       failure detector (ejection); outcomes that say nothing about the endpoint (a cancelled
     *       hedge, a full local pool) are forgotten instead.
     *   <li><b>Pool and transport</b> ({@code EndpointPools}, {@link HttpEndpoint}): a pooled
     *       connection per attempt, under the per-attempt timeout, with the deadline and attempt
     *       headers.
     * </ol>
     */
    public LbClient build() {
      HttpTransport owned = transport == null ? HttpTransport.newBuilder().build() : null;
      HttpTransport t = owned != null ? owned : java.util.Objects.requireNonNull(transport);
      Scheduler scheduler = t.scheduler();
      FailureDetector passive =
          detector != null ? detector : Ejector.newBuilder().clock(clock).build();
      EndpointPools[] poolsRef = new EndpointPools[1];
      String path = healthPath;
      FailureDetector failures =
          path == null
              ? passive
              : ActiveHealthCheck.newBuilder(
                      passive, e -> probe(poolsRef[0], e.address(), path), scheduler)
                  .interval(healthInterval)
                  .build();
      RetryBudget shared = budget != null ? budget : RetryBudget.newBuilder().clock(clock).build();
      Balancer balancer =
          Balancers.newBuilder()
              .policy(policy)
              .clock(clock)
              .failureDetector(failures)
              .localZone(localZone)
              .build();
      ClientMetrics metrics = registry == null ? null : new ClientMetrics(registry, name);
      long attemptNanos = (attemptTimeout != null ? attemptTimeout : totalTimeout).toNanos();
      EndpointPools pools = new EndpointPools(t, pool, clock, balancer, attemptNanos, metrics);
      poolsRef[0] = pools;
      ResponseClassifier<HttpRequest, HttpResponse> http = classifier;
      ResponseClassifier<Attempt, HttpResponse> perAttempt =
          (attempt, reply, failure) -> http.classify(attempt.call.request, reply, failure);

      DeadlineFilter deadline = new DeadlineFilter(scheduler, clock);
      CallRetryFilter retries =
          new CallRetryFilter(
              http, shared, backoff, maxAttempts, 1.5, scheduler, clock, wallMillis, random);
      HedgeFilter hedging =
          new HedgeFilter(
              hedgePercentile > 0,
              new LatencyWindow(
                  clock, 30_000_000_000L, 6, hedgePercentile > 0 ? hedgePercentile : 95),
              hedgeMinSamples,
              shared,
              maxAttempts,
              http,
              scheduler,
              clock);
      Service<Attempt, HttpResponse> balanced =
          Balancers.service(balancer, pools::service, perAttempt, attempt -> attempt.call.tried);

      Service<Call, HttpResponse> stack =
          deadline.andThen(retries).andThen(hedging).andThen(balanced);

      LbClient client =
          new LbClient(
              stack, this, balancer, shared, pools, source, owned, deadline, retries, hedging);
      if (metrics != null) {
        metrics.bindClient(client, shared, passive, failures);
      }
      return client;
    }

    private static CompletionStage<Boolean> probe(
        @Nullable EndpointPools pools, String address, String path) {
      HttpEndpoint e = pools == null ? null : pools.endpoint(address);
      if (e == null) {
        return CompletableFuture.completedFuture(false);
      }
      return e.send(HttpRequest.get(path), Duration.ofSeconds(1))
          .thenApply(r -> r.status() >= 200 && r.status() < 300);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
