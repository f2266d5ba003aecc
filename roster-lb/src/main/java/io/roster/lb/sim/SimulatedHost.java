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
 * Its random stream is its own, so one host's draws do not shift another's.
 */
final class SimulatedHost implements Service<Long, Boolean> {
  private final EventQueue events;
  private final RandomGenerator random;
  private final double medianNanos;
  private final double sigma;
  private final double errorRate;

  SimulatedHost(
      EventQueue events, RandomGenerator random, double medianNanos, double sigma, double errors) {
    this.events = events;
    this.random = random;
    this.medianNanos = medianNanos;
    this.sigma = sigma;
    this.errorRate = errors;
  }

  @Override
  public CompletionStage<Boolean> apply(Long request) {
    long latency = (long) (medianNanos * Math.exp(sigma * random.nextGaussian()));
    boolean ok = random.nextDouble() >= errorRate;
    CompletableFuture<Boolean> reply = new CompletableFuture<>();
    events.schedule(latency, () -> reply.complete(ok));
    return reply;
  }
}
