package io.roster.lb.balancer;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/*
 * Zone preference with failover (client-resilience.md §9.1; Envoy zone-aware routing and Ribbon's
 * ZoneAvoidanceRule, simplified): two balancers of the same policy, one over the endpoints in the
 * client's own zone and one over all the others. Requests go to the local one while the local
 * zone is healthy; otherwise to the others.
 *
 * "Healthy" has two tests, because ejection alone cannot see a zone outage: the ejector's cap
 * (20% of all endpoints) keeps most of a dead zone "alive". So the zone is also judged by the
 * outcomes of requests sent there: an exponentially weighted success ratio per request (α = 1/20,
 * so roughly the last 20 requests, whatever the request rate). The zone fails over when fewer than
 * half its endpoints are OPEN, or when at least 10 requests have been seen and the ratio is below
 * 1/2 — a majority of the zone failing, which one bad host among several does not reach (the
 * ejector deals with that one). A full outage trips it after about 14 failed requests. A failover
 * holds for 5 s (hysteresis); then the ratio starts afresh and requests probe the local zone again.
 *
 * Retries leave the zone: a request whose earlier attempt went to a local endpoint is balanced over
 * the other zones, so during the first moments of an outage (before the zone is judged) a retry
 * does not land on a second dead neighbour.
 *
 * Cost: counting open local endpoints is O(local endpoints) per pick, acceptable for the zone sizes
 * this is meant for (tens of endpoints), not for thousands.
 *
 * Envoy's residual-capacity spill (sending only the overflow share elsewhere) is not implemented:
 * this is all-or-nothing failover.
 */
final class ZoneAwareBalancer implements Balancer {
  private static final long MIN_REQUESTS = 10;
  private static final double MIN_SUCCESS = 0.5;
  private static final double ALPHA = 1.0 / 20;
  private static final double MIN_OPEN_SHARE = 0.5;
  private static final long HOLD_NANOS = 5_000_000_000L;

  private final String zone;
  private final Balancer local;
  private final Balancer remote;
  private final LongSupplier clock;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile List<String> localAddresses = List.of();

  @GuardedBy("lock")
  private double success = 1;

  @GuardedBy("lock")
  private long seen;

  @GuardedBy("lock")
  private long failedOverUntil;

  @GuardedBy("lock")
  private boolean failedOver;

  ZoneAwareBalancer(String zone, Balancer local, Balancer remote, LongSupplier clock) {
    this.zone = zone;
    this.local = local;
    this.remote = remote;
    this.clock = clock;
  }

  @Override
  public Pick pick() {
    return pick(Set.of());
  }

  @Override
  public Pick pick(Set<String> avoid) {
    List<String> mine = localAddresses;
    boolean useLocal =
        !mine.isEmpty() && (remote.endpoints().isEmpty() || (healthy() && disjoint(avoid, mine)));
    if (!useLocal) {
      return remote.pick(avoid);
    }
    Pick p = local.pick(avoid);
    return new Pick() {
      @Override
      public Endpoint endpoint() {
        return p.endpoint();
      }

      @Override
      public void release(ResponseClass outcome) {
        record(!outcome.isFailure());
        p.release(outcome);
      }

      @Override
      public void abandon() {
        p.abandon();
      }
    };
  }

  private static boolean disjoint(Set<String> avoid, List<String> mine) {
    if (avoid.isEmpty()) {
      return true;
    }
    for (String a : mine) {
      if (avoid.contains(a)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the local zone takes traffic now. */
  boolean healthy() {
    long now = clock.getAsLong();
    lock.lock();
    try {
      if (failedOver && now - failedOverUntil < 0) {
        return false;
      }
      failedOver = false;
      if (seen >= MIN_REQUESTS && success < MIN_SUCCESS) {
        failedOver = true;
        failedOverUntil = now + HOLD_NANOS;
        success = 1;
        seen = 0;
        return false;
      }
    } finally {
      lock.unlock();
    }
    List<Endpoint> endpoints = local.endpoints();
    return openShare(endpoints.size()) >= MIN_OPEN_SHARE;
  }

  private double openShare(int n) {
    if (n == 0) {
      return 0;
    }
    return openCount() / (double) n;
  }

  private int openCount() {
    return local instanceof NodeBalancer n ? n.openCount() : 1;
  }

  private void record(boolean ok) {
    lock.lock();
    try {
      success += ALPHA * ((ok ? 1 : 0) - success);
      seen++;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void update(List<Endpoint> endpoints) {
    List<Endpoint> mine = new ArrayList<>();
    List<Endpoint> others = new ArrayList<>();
    for (Endpoint e : endpoints) {
      (Objects.equals(zone, e.zone()) ? mine : others).add(e);
    }
    local.update(mine);
    remote.update(others);
    List<String> addresses = new ArrayList<>();
    for (Endpoint e : local.endpoints()) {
      addresses.add(e.address());
    }
    localAddresses = List.copyOf(addresses);
  }

  @Override
  public List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>(local.endpoints());
    all.addAll(remote.endpoints());
    return List.copyOf(all);
  }

  @Override
  public Status status() {
    return Status.best(local.status(), remote.status());
  }
}
