package io.roster.lb.client;

import io.roster.lb.http.HttpRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One logical request on its way down the stack: the request, its absolute deadline on the client's
 * clock, whether it may be retried and hedged (see {@link io.roster.lb.http.RosterHeaders}), the
 * endpoints its attempts have gone to, and its attempt count. Shared by every attempt; thread-safe.
 */
final class Call {
  final HttpRequest request;
  final long start;
  final long deadline;
  final boolean retriesAllowed;
  final Set<String> tried = ConcurrentHashMap.newKeySet();
  final Cancellation cancellation = new Cancellation();
  private final AtomicInteger attempts = new AtomicInteger();

  Call(HttpRequest request, long start, long deadline, boolean retriesAllowed) {
    this.request = request;
    this.start = start;
    this.deadline = deadline;
    this.retriesAllowed = retriesAllowed;
  }

  /** A new attempt, numbered from 1, cancelled with this call. */
  Attempt newAttempt(long now) {
    return new Attempt(this, attempts.incrementAndGet(), now, cancellation.child());
  }

  /** Attempts started so far (retries, requeues and hedges included). */
  int attempts() {
    return attempts.get();
  }
}
