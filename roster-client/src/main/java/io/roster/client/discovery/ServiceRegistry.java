package io.roster.client.discovery;

import io.roster.client.RosterClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Registers instances under a root (default {@code /services}) with a TTL and keeps them alive. One
 * daemon thread refreshes all registrations of this registry. Thread-safe. {@link #close()} stops
 * refreshing; it does not deregister (close each {@link Registration} for that).
 */
public final class ServiceRegistry implements AutoCloseable {
  /** The seed's root. */
  public static final String DEFAULT_ROOT = "/services";

  private final RosterClient client;
  private final String root;
  private final ScheduledExecutorService scheduler;

  /** A registry under {@link #DEFAULT_ROOT}. */
  public ServiceRegistry(RosterClient client) {
    this(client, DEFAULT_ROOT);
  }

  /** A registry under {@code root}, e.g. {@code /services}. */
  public ServiceRegistry(RosterClient client, String root) {
    this.client = client;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "roster-registry");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Registers without a listener. See {@link #register(ServiceInstance, Duration,
   * RegistrationListener)}.
   */
  public Registration register(ServiceInstance instance, Duration ttl) {
    return register(instance, ttl, new RegistrationListener() {});
  }

  /**
   * Writes the instance (a plain {@code set}, so the seed's node discoverer, which reacts to {@code
   * set}, sees it) with {@code ttl}, and refreshes it every {@code ttl/3}. Blocks for the first
   * write.
   *
   * @param ttl at least one second; etcd counts whole seconds
   * @throws IllegalArgumentException if {@code ttl} is under one second
   * @throws RuntimeException the client's exceptions if the first write failed (see {@link
   *     RosterClient#set}); then nothing is refreshed
   */
  public Registration register(
      ServiceInstance instance, Duration ttl, RegistrationListener listener) {
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("ttl under one second: " + ttl);
    }
    Registration r = new Registration(client, instance.key(root), instance, ttl, listener);
    r.start(scheduler);
    return r;
  }

  /** Stops refreshing every registration of this registry; keys then expire after their TTL. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
