package io.roster.lb.discovery;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.client.discovery.InstanceCache;
import io.roster.client.discovery.InstanceListener;
import io.roster.client.discovery.InstanceState;
import io.roster.client.discovery.ServiceInstance;
import io.roster.lb.Endpoint;
import io.roster.lb.EndpointSource;
import io.roster.lb.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An {@link EndpointSource} fed by a discovery {@link InstanceCache}.
 *
 * <ul>
 *   <li><b>Only instances that take new requests.</b> An instance is an endpoint only while its
 *       state is {@link InstanceState#UP} and it has a host and a port; {@code STARTING}, {@code
 *       DRAINING} and {@code OUT_OF_SERVICE} instances get no new requests. Requests already in
 *       flight on an instance that leaves finish normally: the balancer keeps their pick, and the
 *       client closes the instance's pool only once its connections are idle.
 *   <li><b>Batched.</b> The first change after a quiet period starts a timer ({@code batch}, 100 ms
 *       by default, as Finagle's Stabilizer); when it fires the source reads the cache's whole
 *       current list once and publishes it if it differs from the last one. A deploy that replaces
 *       fifty instances rebuilds the balancer a few times, not a hundred.
 *   <li><b>Stale on error</b> is the cache's: a registry outage leaves its list, and so this one,
 *       as it was.
 * </ul>
 *
 * <p>The weight and zone of each endpoint come from the instance. Thread-safe; listeners are called
 * on the scheduler's thread (or the subscriber's, for the first call), never two at once.
 */
public final class DiscoveredEndpoints implements EndpointSource, AutoCloseable {
  private final Supplier<List<ServiceInstance>> instances;
  private final Scheduler scheduler;
  private final long batchNanos;
  private final List<Consumer<List<Endpoint>>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean flushPending = new AtomicBoolean();
  private final ReentrantLock deliver = new ReentrantLock();
  private final Runnable detach;
  private volatile List<Endpoint> current;

  @GuardedBy("deliver")
  private boolean closed;

  DiscoveredEndpoints(
      Supplier<List<ServiceInstance>> instances,
      Scheduler scheduler,
      long batchNanos,
      Runnable detach) {
    this.instances = instances;
    this.scheduler = scheduler;
    this.batchNanos = batchNanos;
    this.detach = detach;
    this.current = endpointsOf(instances.get());
  }

  /**
   * Follows {@code cache}, batching changes over {@code batch} (100 ms is a good default) on {@code
   * scheduler}. {@link #close()} stops following it; it does not close the cache.
   *
   * @throws IllegalArgumentException if {@code batch} is negative
   */
  public static DiscoveredEndpoints from(InstanceCache cache, Scheduler scheduler, Duration batch) {
    if (batch.isNegative()) {
      throw new IllegalArgumentException("negative batch: " + batch);
    }
    DiscoveredEndpoints[] self = new DiscoveredEndpoints[1];
    InstanceListener listener =
        new InstanceListener() {
          @Override
          public void onAdded(ServiceInstance instance) {
            self[0].changed();
          }

          @Override
          public void onRemoved(ServiceInstance instance) {
            self[0].changed();
          }

          @Override
          public void onChanged(ServiceInstance before, ServiceInstance after) {
            self[0].changed();
          }
        };
    self[0] =
        new DiscoveredEndpoints(
            cache::instances, scheduler, batch.toNanos(), () -> cache.removeListener(listener));
    cache.addListener(listener);
    self[0].changed();
    return self[0];
  }

  /** The endpoints of the UP instances with a usable address, in the cache's order. */
  public static List<Endpoint> endpointsOf(List<ServiceInstance> instances) {
    List<Endpoint> out = new ArrayList<>();
    for (ServiceInstance i : instances) {
      if (i.state() == InstanceState.UP && !i.host().isBlank() && i.port() > 0) {
        out.add(new Endpoint(i.host(), i.port(), i.weight(), i.zone()));
      }
    }
    return List.copyOf(out);
  }

  @Override
  public List<Endpoint> endpoints() {
    return current;
  }

  @Override
  public Subscription subscribe(Consumer<List<Endpoint>> listener) {
    deliver.lock();
    try {
      listeners.add(listener);
      listener.accept(current);
    } finally {
      deliver.unlock();
    }
    return () -> listeners.remove(listener);
  }

  /** Stops following the cache; subscribers keep the last list. Idempotent. */
  @Override
  public void close() {
    deliver.lock();
    try {
      closed = true;
    } finally {
      deliver.unlock();
    }
    detach.run();
  }

  /** Something in the cache changed: publish within one batch interval. */
  void changed() {
    if (flushPending.compareAndSet(false, true)) {
      scheduler.schedule(batchNanos, this::flush);
    }
  }

  private void flush() {
    flushPending.set(false);
    deliver.lock();
    try {
      if (closed) {
        return;
      }
      List<Endpoint> next = endpointsOf(instances.get());
      if (next.equals(current)) {
        return;
      }
      current = next;
      for (Consumer<List<Endpoint>> l : listeners) {
        l.accept(next);
      }
    } finally {
      deliver.unlock();
    }
  }
}
