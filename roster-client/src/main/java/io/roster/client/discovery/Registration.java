package io.roster.client.discovery;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.api.ErrorCode;
import io.roster.client.GetOptions;
import io.roster.client.KeyResponse;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;
import io.roster.client.RosterTransportException;
import io.roster.client.WriteOptions;
import io.roster.client.internal.HttpTransport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live registration made by {@link ServiceRegistry#register}: the instance's key, kept alive by a
 * refresh every TTL/3 ({@code refresh=true&prevExist=true}, which does not wake watchers). When a
 * refresh finds the key gone it writes it again (with the current state) and tells the listener;
 * when it fails it tells the listener and tries again after TTL/12 (at least 100 ms), so a member
 * failover costs a fraction of the TTL, not a whole refresh interval. {@link #close()} stops
 * refreshing and deletes the key.
 *
 * <p>A graceful shutdown is {@link #drain()} (announce DRAINING and wait until watchers have had
 * the chance to see it), finish in-flight work, then {@link #close()}.
 *
 * <p>Thread-safe: refreshes, {@link #updateState}, the write of {@link #drain} and {@link #close()}
 * are serialized; the wait of {@code drain} holds no lock, so refreshes go on meanwhile. Writes
 * block for at most the client's request timeout per endpoint.
 */
public final class Registration implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Registration.class);

  private final RosterClient client;
  private final String key;
  private final Duration ttl;
  private final RegistrationListener listener;

  @GuardedBy("this")
  private ServiceInstance instance;

  @GuardedBy("this")
  private boolean closed;

  @GuardedBy("this")
  private @Nullable ScheduledFuture<?> task;

  @GuardedBy("this")
  private @Nullable ScheduledExecutorService scheduler;

  @GuardedBy("this")
  private boolean retryPending;

  Registration(
      RosterClient client,
      String key,
      ServiceInstance instance,
      Duration ttl,
      RegistrationListener listener) {
    this.client = client;
    this.key = key;
    this.instance = instance;
    this.ttl = ttl;
    this.listener = listener;
  }

  synchronized void start(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
    client.set(key, instance.toJson(), WriteOptions.ttlOf(ttl));
    long period = Math.max(1, ttl.toMillis() / 3);
    task = scheduler.scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.MILLISECONDS);
  }

  /** The key of this registration. */
  public String key() {
    return key;
  }

  /** The instance as last written. */
  public synchronized ServiceInstance instance() {
    return instance;
  }

  /**
   * Writes the instance again with {@code state} (e.g. DRAINING before shutdown); watchers see a
   * change.
   *
   * @throws IllegalStateException if closed
   * @throws RuntimeException the client's exceptions for a failed write (see {@link
   *     RosterClient#set})
   */
  public void updateState(InstanceState state) {
    writeState(state);
  }

  private synchronized long writeState(InstanceState state) {
    if (closed) {
      throw new IllegalStateException("registration closed: " + key);
    }
    ServiceInstance next = instance.withState(state);
    KeyResponse r = client.set(key, next.toJson(), WriteOptions.ttlOf(ttl));
    instance = next;
    return r.node().modifiedIndex();
  }

  /**
   * Drains with the defaults: settle for one refresh interval (TTL/3), wait at most one TTL. See
   * {@link #drain(Duration, Duration)}.
   */
  public DrainResult drain() {
    return drain(Duration.ofMillis(Math.max(1, ttl.toMillis() / 3)), ttl);
  }

  /**
   * Announces {@link InstanceState#DRAINING} and waits, at most {@code maxWait} in all, until
   * watchers have had time to see it. The rule:
   *
   * <ol>
   *   <li>Write the instance with state DRAINING (a {@code set}, which wakes every watcher); its
   *       index is W.
   *   <li>Ask every endpoint the client knows ({@link RosterClient#endpoints()}, i.e. the cluster's
   *       members) for its applied index with a local, non-quorum read until each reports at least
   *       W. A member that has applied W has already answered every watcher parked on it, so the
   *       event is on its way to every cache. A member that refuses connections is down and serves
   *       no watcher; it is skipped. One that is slow or behind is asked again every 50 ms.
   *   <li>Then wait {@code settle}: the time a watcher that was between two polls (reconnecting,
   *       backing off after an error, busy with an earlier event) needs to poll again and hand the
   *       event to its application.
   * </ol>
   *
   * Refreshing goes on, so the key stays (in state DRAINING) until {@link #close()}. Blocks for at
   * most {@code maxWait} after the write (which itself blocks like {@link RosterClient#set}).
   *
   * @return which members applied the write and how long it took; {@link DrainResult#complete()} is
   *     false if some reachable member had not applied it when {@code maxWait} ran out
   * @throws IllegalStateException if closed
   * @throws RuntimeException the client's exceptions if the write failed (see {@link
   *     RosterClient#set}); then nothing was waited for
   */
  public DrainResult drain(Duration settle, Duration maxWait) {
    long start = System.nanoTime();
    long deadline = start + maxWait.toNanos();
    long at = writeState(InstanceState.DRAINING);
    List<URI> applied = new ArrayList<>();
    List<URI> unreachable = new ArrayList<>();
    List<URI> pending = new ArrayList<>(client.endpoints());
    try {
      while (!pending.isEmpty()) {
        Map<URI, CompletableFuture<Long>> asks = new LinkedHashMap<>();
        for (URI e : pending) {
          asks.put(e, appliedIndexAt(e));
        }
        for (Map.Entry<URI, CompletableFuture<Long>> ask : asks.entrySet()) {
          long left = deadline - System.nanoTime();
          long idx;
          try {
            idx = ask.getValue().get(Math.max(0, left), TimeUnit.NANOSECONDS);
          } catch (ExecutionException | TimeoutException e) {
            ask.getValue().cancel(true);
            Throwable t = HttpTransport.unwrap(e);
            if (t instanceof RosterTransportException
                && t.getCause() != null
                && HttpTransport.neverSent(HttpTransport.unwrap(t.getCause()))) {
              pending.remove(ask.getKey());
              unreachable.add(ask.getKey());
            }
            continue;
          }
          if (idx >= at) {
            pending.remove(ask.getKey());
            applied.add(ask.getKey());
          }
        }
        if (pending.isEmpty() || System.nanoTime() >= deadline) {
          break;
        }
        Thread.sleep(Math.min(50, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      long settleEnd = Math.min(deadline, System.nanoTime() + settle.toNanos());
      long sleep = TimeUnit.NANOSECONDS.toMillis(settleEnd - System.nanoTime());
      if (sleep > 0) {
        Thread.sleep(sleep);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new DrainResult(
        at, applied, unreachable, pending, Duration.ofNanos(System.nanoTime() - start));
  }

  /** The index {@code endpoint} has applied, as its {@code X-Etcd-Index} on a read of the key. */
  private CompletableFuture<Long> appliedIndexAt(URI endpoint) {
    return client
        .getAtAsync(endpoint, key, GetOptions.defaults())
        .handle(
            (r, err) -> {
              if (err == null) {
                return r.etcdIndex();
              }
              Throwable t = HttpTransport.unwrap(err);
              if (t instanceof RosterException re) {
                return re.index();
              }
              throw t instanceof RuntimeException rt ? rt : new IllegalStateException(t);
            });
  }

  private synchronized void refresh() {
    if (closed) {
      return;
    }
    retryPending = false;
    try {
      client.refresh(key, ttl);
    } catch (RosterException e) {
      if (e.code() == ErrorCode.KEY_NOT_FOUND) {
        recreate();
      } else {
        failed(e);
      }
    } catch (RuntimeException e) {
      LOG.debug("refresh of {} failed", key, e);
      failed(e);
    }
  }

  /**
   * Tells the listener and tries again soon (a quarter of the refresh interval, at least 100 ms)
   * rather than a whole interval later: during a member failover the next attempt usually reaches
   * the new leader, and the TTL keeps running meanwhile.
   */
  @GuardedBy("this")
  private void failed(RuntimeException e) {
    listener.onRefreshFailed(instance, e);
    ScheduledExecutorService s = scheduler;
    if (s != null && !retryPending && !closed) {
      retryPending = true;
      try {
        s.schedule(this::refresh, Math.max(100, ttl.toMillis() / 12), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException shutDown) {
        retryPending = false;
      }
    }
  }

  @GuardedBy("this")
  private void recreate() {
    try {
      client.set(key, instance.toJson(), WriteOptions.ttlOf(ttl));
      LOG.info("registration {} had expired; written again", key);
      listener.onRecreated(instance);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /**
   * Stops refreshing and deletes the key (an already missing key is fine). If the delete fails the
   * key expires within the TTL; the failure is logged, not thrown. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ScheduledFuture<?> t = task;
    if (t != null) {
      t.cancel(false);
    }
    try {
      client.delete(key);
    } catch (RosterException e) {
      if (e.code() != ErrorCode.KEY_NOT_FOUND) {
        LOG.warn("deregistering {} failed; it expires within {}", key, ttl, e);
      }
    } catch (RuntimeException e) {
      LOG.warn("deregistering {} failed; it expires within {}", key, ttl, e);
    }
  }
}
