package io.roster.lb.failure;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.Status;
import java.util.concurrent.locks.ReentrantLock;

/*
 * One endpoint's ejection state machine, after Finagle's FailureAccrualFactory and Envoy's outlier
 * detection (client-resilience.md §1.4, §2.3, §9.2):
 *
 *   ALIVE --(5 failures in a row | success rate < 0.8 | latency outlier, if under the cap)--> EJECTED
 *   EJECTED --(ejection time over, next request claims the probe)--> PROBING
 *   PROBING --(probe succeeds)--> ALIVE        PROBING --(probe fails)--> EJECTED (longer)
 *
 * The ejection time is base × multiplier (capped, jittered); the multiplier grows with each
 * ejection and shrinks by one for every sweep interval the endpoint spends alive and unejected, so
 * a host that flaps is kept out longer and longer while one that recovers is forgiven (gRPC A50).
 * Coming back clears the failure window: old failures do not eject a host twice.
 *
 * State and the ejection deadline are volatile so that status(), read on every pick, takes no
 * lock; everything else is guarded by a per-endpoint lock held only for a few arithmetic steps.
 * A response that started before an ejection and ends during it is ignored; one that ends while a
 * probe is in flight is taken as the probe's answer, which errs toward faster decisions.
 */
final class TrackedEndpoint implements EndpointHealth {
  private static final int ALIVE = 0;
  private static final int EJECTED = 1;
  private static final int PROBING = 2;
  private static final int DETACHED = 3;

  private final Ejector ejector;
  private final Endpoint endpoint;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile int state = ALIVE;
  private volatile long ejectedUntil;

  @GuardedBy("lock")
  private final SuccessRateWindow window;

  @GuardedBy("lock")
  private int consecutiveFailures;

  @GuardedBy("lock")
  private int multiplier;

  @GuardedBy("lock")
  private boolean ejectedThisInterval;

  @GuardedBy("lock")
  private long intervalRequests;

  @GuardedBy("lock")
  private double intervalRttSum;

  @GuardedBy("lock")
  private int slowIntervals;

  TrackedEndpoint(Ejector ejector, Endpoint endpoint) {
    this.ejector = ejector;
    this.endpoint = endpoint;
    this.window = new SuccessRateWindow(ejector.successRateWindowNanos, 10);
  }

  Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public Status status() {
    switch (state) {
      case ALIVE:
        return Status.OPEN;
      case EJECTED:
        return ejector.now() - ejectedUntil >= 0 ? Status.OPEN : Status.BUSY;
      case PROBING:
        return Status.BUSY;
      default:
        return Status.CLOSED;
    }
  }

  @Override
  public void onStart() {
    if (state != EJECTED || ejector.now() - ejectedUntil < 0) {
      return;
    }
    lock.lock();
    try {
      if (state == EJECTED && ejector.now() - ejectedUntil >= 0) {
        state = PROBING;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onResponse(long rttNanos, ResponseClass outcome) {
    long now = ejector.now();
    boolean ok = !outcome.isFailure();
    lock.lock();
    try {
      intervalRequests++;
      intervalRttSum += rttNanos;
      if (state == PROBING) {
        if (ok) {
          restore();
        } else {
          reject(now);
        }
      } else if (state == ALIVE) {
        window.record(now, ok);
        consecutiveFailures = ok ? 0 : consecutiveFailures + 1;
        if (ejector.consecutiveFailures > 0 && consecutiveFailures >= ejector.consecutiveFailures) {
          eject(now, EjectionReason.CONSECUTIVE_FAILURES);
        } else if (!ok
            && window.requests(now) >= ejector.successRateMinRequests
            && window.successRate(now) < ejector.successRateThreshold) {
          eject(now, EjectionReason.SUCCESS_RATE);
        }
      }
    } finally {
      lock.unlock();
    }
    ejector.maybeSweep(now);
  }

  @Override
  public void onAbandon() {
    if (state != PROBING) {
      return;
    }
    lock.lock();
    try {
      if (state == PROBING) {
        ejectedUntil = ejector.now();
        state = EJECTED;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends a sweep interval: returns the interval's mean latency, or NaN if this endpoint is not
   * alive or saw fewer than {@code minRequests}, and forgives one step of the multiplier.
   */
  double closeInterval(long minRequests) {
    lock.lock();
    try {
      double mean =
          state == ALIVE && intervalRequests >= minRequests
              ? intervalRttSum / intervalRequests
              : Double.NaN;
      if (state == ALIVE && !ejectedThisInterval && multiplier > 0) {
        multiplier--;
      }
      ejectedThisInterval = false;
      intervalRequests = 0;
      intervalRttSum = 0;
      return mean;
    } finally {
      lock.unlock();
    }
  }

  /** Applies a sweep's verdict; ejects after {@code needed} slow intervals in a row. */
  void latencyVerdict(long now, boolean slow, int needed) {
    lock.lock();
    try {
      if (state != ALIVE) {
        slowIntervals = 0;
        return;
      }
      slowIntervals = slow ? slowIntervals + 1 : 0;
      if (slowIntervals >= needed && eject(now, EjectionReason.LATENCY_OUTLIER)) {
        slowIntervals = 0;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops tracking; returns true if this endpoint held an ejection slot. */
  boolean detach() {
    lock.lock();
    try {
      boolean held = state == EJECTED || state == PROBING;
      state = DETACHED;
      return held;
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private boolean eject(long now, EjectionReason reason) {
    if (!ejector.tryTakeSlot()) {
      ejector.recordCapped();
      return false;
    }
    multiplier++;
    ejectedUntil = now + ejector.ejectionNanos(multiplier);
    state = EJECTED;
    ejectedThisInterval = true;
    ejector.recordEjection(reason);
    return true;
  }

  @GuardedBy("lock")
  private void reject(long now) {
    multiplier++;
    ejectedUntil = now + ejector.ejectionNanos(multiplier);
    state = EJECTED;
    ejectedThisInterval = true;
    ejector.recordEjection(EjectionReason.FAILED_PROBE);
  }

  @GuardedBy("lock")
  private void restore() {
    state = ALIVE;
    ejector.releaseSlot();
    consecutiveFailures = 0;
    slowIntervals = 0;
    window.clear();
  }
}
