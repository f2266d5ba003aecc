package io.roster.lb.sim;

import io.roster.lb.Service;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;

/*
 * A host with unbounded concurrency: each request's latency is drawn independently from a
 * lognormal distribution (median × factor × e^(σ·Z)) and does not depend on load, as in the
 * Linkerd 2016 "Beyond Round Robin" experiment where one backend's latency was simply fixed high.
 * The reply is true for success and false for an error response, decided by the host's error rate.
 * While the host is down (flapping, or in an outage window) every request fails after 1 ms, as a
 * refused connection would. While cold after joining, latency is tripled. Its random stream is its
 * own, so one host's draws do not shift another's.
 */
final class SimulatedHost implements Service<Long, Boolean> {
  private static final long DOWN_LATENCY_NANOS = 1_000_000L;

  private final EventQueue events;
  private final RandomGenerator random;
  private final double medianNanos;
  private final double sigma;
  private final Scenario.Host host;

  SimulatedHost(
      EventQueue events,
      RandomGenerator random,
      double medianNanos,
      double sigma,
      Scenario.Host h) {
    this.events = events;
    this.random = random;
    this.medianNanos = medianNanos;
    this.sigma = sigma;
    this.host = h;
  }

  @Override
  public CompletionStage<Boolean> apply(Long request) {
    long now = events.getAsLong();
    double draw = Math.exp(sigma * random.nextGaussian());
    boolean ok = random.nextDouble() >= host.errorRate();
    CompletableFuture<Boolean> reply = new CompletableFuture<>();
    if (host.downAt(now)) {
      events.schedule(DOWN_LATENCY_NANOS, () -> reply.complete(false));
      return reply;
    }
    long latency = (long) (medianNanos * host.coldFactorAt(now) * draw);
    events.schedule(latency, () -> reply.complete(ok));
    return reply;
  }
}
