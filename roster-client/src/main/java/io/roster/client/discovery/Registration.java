package io.roster.client.discovery;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.roster.api.ErrorCode;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;
import io.roster.client.WriteOptions;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live registration made by {@link ServiceRegistry#register}: the instance's key, kept alive by a
 * refresh every TTL/3 ({@code refresh=true&prevExist=true}, which does not wake watchers). When a
 * refresh finds the key gone it writes it again and tells the listener; when it fails it tells the
 * listener and tries again at the next tick. {@link #close()} stops refreshing and deletes the key.
 *
 * <p>Thread-safe: refreshes, {@link #updateState} and {@link #close()} are serialized. Writes block
 * for at most the client's request timeout per endpoint.
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
  public synchronized void updateState(InstanceState state) {
    if (closed) {
      throw new IllegalStateException("registration closed: " + key);
    }
    ServiceInstance next = instance.withState(state);
    client.set(key, next.toJson(), WriteOptions.ttlOf(ttl));
    instance = next;
  }

  private synchronized void refresh() {
    if (closed) {
      return;
    }
    try {
      client.refresh(key, ttl);
    } catch (RosterException e) {
      if (e.code() == ErrorCode.KEY_NOT_FOUND) {
        recreate();
      } else {
        listener.onRefreshFailed(instance, e);
      }
    } catch (RuntimeException e) {
      LOG.debug("refresh of {} failed", key, e);
      listener.onRefreshFailed(instance, e);
    }
  }

  @GuardedBy("this")
  private void recreate() {
    try {
      client.set(key, instance.toJson(), WriteOptions.ttlOf(ttl));
      LOG.info("registration {} had expired; written again", key);
      listener.onRecreated(instance);
    } catch (RuntimeException e) {
      listener.onRefreshFailed(instance, e);
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
