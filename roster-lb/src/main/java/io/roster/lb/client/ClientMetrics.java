package io.roster.lb.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.roster.lb.failure.ActiveHealthCheck;
import io.roster.lb.failure.EjectionReason;
import io.roster.lb.failure.Ejector;
import io.roster.lb.failure.FailureDetector;
import io.roster.lb.http.HttpEndpoint;
import io.roster.lb.pool.ConnectionPool;
import io.roster.lb.pool.PoolListener;
import io.roster.lb.retry.RetryBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for one {@link LbClient}, all tagged {@code client=<name>}; per-endpoint ones
 * also {@code endpoint=<host:port>} and are removed when the endpoint leaves. Names below are
 * Micrometer's; a Prometheus registry renders {@code roster.lb.picks} as {@code
 * roster_lb_picks_total} and the timer as {@code roster_lb_pool_wait_seconds}.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>meaning</th></tr>
 *   <tr><td>roster.lb.calls</td><td>counter</td><td></td><td>logical requests sent</td></tr>
 *   <tr><td>roster.lb.retries</td><td>counter</td><td>kind=retry|requeue|hedge</td>
 *       <td>extra attempts, by why</td></tr>
 *   <tr><td>roster.lb.hedges.won</td><td>counter</td><td></td><td>hedges that answered first</td></tr>
 *   <tr><td>roster.lb.retries.refused</td><td>counter</td><td>reason=budget|deadline</td>
 *       <td>retries and hedges not sent</td></tr>
 *   <tr><td>roster.lb.deadline.exceeded</td><td>counter</td><td></td><td>calls that ran out of
 *       time</td></tr>
 *   <tr><td>roster.lb.retry.budget.balance</td><td>gauge</td><td></td><td>retries the budget
 *       allows now</td></tr>
 *   <tr><td>roster.lb.ejections</td><td>counter</td><td>reason</td><td>ejections so far</td></tr>
 *   <tr><td>roster.lb.ejected</td><td>gauge</td><td></td><td>endpoints ejected now</td></tr>
 *   <tr><td>roster.lb.unhealthy</td><td>gauge</td><td></td><td>endpoints failing active health
 *       checks now (only with health checks on)</td></tr>
 *   <tr><td>roster.lb.picks</td><td>counter</td><td>endpoint</td><td>attempts sent there</td></tr>
 *   <tr><td>roster.lb.inflight</td><td>gauge</td><td>endpoint</td><td>attempts in flight</td></tr>
 *   <tr><td>roster.lb.pool.connections</td><td>gauge</td><td>endpoint, state=idle|leased|open</td>
 *       <td>pool size</td></tr>
 *   <tr><td>roster.lb.pool.pending</td><td>gauge</td><td>endpoint</td><td>requests waiting for a
 *       connection</td></tr>
 *   <tr><td>roster.lb.pool.wait</td><td>timer</td><td>endpoint</td><td>time to get a
 *       connection</td></tr>
 *   <tr><td>roster.lb.pool.rejected</td><td>counter</td><td>endpoint, reason=overflow|timeout</td>
 *       <td>acquires that failed</td></tr>
 * </table>
 */
final class ClientMetrics {
  private final MeterRegistry registry;
  private final Tags tags;
  private final Map<String, Counter> picks = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> perEndpoint = new ConcurrentHashMap<>();

  ClientMetrics(MeterRegistry registry, String client) {
    this.registry = registry;
    this.tags = Tags.of("client", client);
  }

  void bindClient(
      LbClient c, RetryBudget budget, FailureDetector passive, FailureDetector detector) {
    counter("roster.lb.calls", Tags.empty(), c, x -> x.stats().calls());
    counter("roster.lb.retries", Tags.of("kind", "retry"), c, x -> x.stats().retries());
    counter("roster.lb.retries", Tags.of("kind", "requeue"), c, x -> x.stats().requeues());
    counter("roster.lb.retries", Tags.of("kind", "hedge"), c, x -> x.stats().hedges());
    counter("roster.lb.hedges.won", Tags.empty(), c, x -> x.stats().hedgesWon());
    counter(
        "roster.lb.retries.refused",
        Tags.of("reason", "budget"),
        c,
        x -> x.stats().refusedByBudget());
    counter(
        "roster.lb.retries.refused",
        Tags.of("reason", "deadline"),
        c,
        x -> x.stats().refusedByDeadline());
    counter("roster.lb.deadline.exceeded", Tags.empty(), c, x -> x.stats().deadlineExceeded());
    Gauge.builder("roster.lb.retry.budget.balance", budget, RetryBudget::balance)
        .tags(tags)
        .register(registry);
    if (detector instanceof ActiveHealthCheck hc) {
      Gauge.builder("roster.lb.unhealthy", hc, ActiveHealthCheck::unhealthyCount)
          .tags(tags)
          .register(registry);
    }
    if (passive instanceof Ejector ej) {
      for (EjectionReason r : EjectionReason.values()) {
        counter(
            "roster.lb.ejections",
            Tags.of("reason", r.name().toLowerCase(Locale.ROOT)),
            ej,
            e -> e.ejections(r));
      }
      Gauge.builder("roster.lb.ejected", ej, Ejector::ejectedCount).tags(tags).register(registry);
    }
  }

  PoolListener poolListener(String address) {
    Tags t = tags.and("endpoint", address);
    Timer wait = Timer.builder("roster.lb.pool.wait").tags(t).register(registry);
    Counter overflow =
        Counter.builder("roster.lb.pool.rejected")
            .tags(t.and("reason", "overflow"))
            .register(registry);
    Counter timeout =
        Counter.builder("roster.lb.pool.rejected")
            .tags(t.and("reason", "timeout"))
            .register(registry);
    perEndpoint
        .computeIfAbsent(address, a -> new ArrayList<>())
        .addAll(List.of(wait, overflow, timeout));
    return new PoolListener() {
      @Override
      public void acquired(long waitNanos) {
        wait.record(waitNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void overflowed() {
        overflow.increment();
      }

      @Override
      public void timedOut() {
        timeout.increment();
      }
    };
  }

  void endpointAdded(HttpEndpoint endpoint) {
    String address = endpoint.endpoint().address();
    Tags t = tags.and("endpoint", address);
    ConnectionPool<?> pool = endpoint.pool();
    List<Meter> meters = perEndpoint.computeIfAbsent(address, a -> new ArrayList<>());
    Counter c = Counter.builder("roster.lb.picks").tags(t).register(registry);
    picks.put(address, c);
    meters.add(c);
    meters.add(
        Gauge.builder("roster.lb.inflight", endpoint, HttpEndpoint::inFlight)
            .tags(t)
            .register(registry));
    meters.add(
        gauge("roster.lb.pool.connections", t.and("state", "idle"), pool, ConnectionPool::idle));
    meters.add(
        gauge(
            "roster.lb.pool.connections", t.and("state", "leased"), pool, ConnectionPool::leased));
    meters.add(
        gauge("roster.lb.pool.connections", t.and("state", "open"), pool, ConnectionPool::open));
    meters.add(gauge("roster.lb.pool.pending", t, pool, ConnectionPool::pending));
  }

  void endpointRemoved(String address) {
    picks.remove(address);
    List<Meter> meters = perEndpoint.remove(address);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }

  void picked(String address) {
    Counter c = picks.get(address);
    if (c != null) {
      c.increment();
    }
  }

  private <T> Meter gauge(String name, Tags t, T obj, ToDoubleFunction<T> f) {
    return Gauge.builder(name, obj, f).tags(t).register(registry);
  }

  private <T> void counter(String name, Tags extra, T obj, ToDoubleFunction<T> f) {
    FunctionCounter.builder(name, obj, f).tags(tags.and(extra)).register(registry);
  }
}
