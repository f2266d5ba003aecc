package io.roster.client.discovery;

import io.roster.client.RosterClient;

/**
 * Finds instances registered under a root (default {@code /services}) by {@link ServiceRegistry} or
 * by the seed's node code. Thread-safe and stateless; each cache it makes owns one watch (one
 * thread) until it is closed.
 *
 * <pre>{@code
 * try (InstanceCache cache = new ServiceDiscovery(client).watch("service_a", "datacenter_x")) {
 *   List<ServiceInstance> up = cache.instances(InstanceFilter.up());
 * }
 * }</pre>
 */
public final class ServiceDiscovery {
  private final RosterClient client;
  private final String root;

  /** Discovery under {@link ServiceRegistry#DEFAULT_ROOT}. */
  public ServiceDiscovery(RosterClient client) {
    this(client, ServiceRegistry.DEFAULT_ROOT);
  }

  /** Discovery under {@code root}. */
  public ServiceDiscovery(RosterClient client, String root) {
    this.client = client;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  /**
   * A cache of every instance of {@code service} in all datacenters, with {@link
   * CacheOptions#defaults()}. Blocks for the initial read (a quorum read, so it includes every
   * registration acknowledged before the call).
   *
   * @throws io.roster.client.RosterException for an etcd error on the initial read other than 100
   *     (a missing service is not an error, just an empty list)
   * @throws io.roster.client.RosterTransportException if no endpoint answered the initial read;
   *     then no watch was started
   */
  public InstanceCache watch(String service) {
    return watch(service, CacheOptions.defaults());
  }

  /** Like {@link #watch(String)}, with {@code options}. */
  public InstanceCache watch(String service, CacheOptions options) {
    return start(root + "/" + segment(service), options);
  }

  /** Like {@link #watch(String)}, for one datacenter. */
  public InstanceCache watch(String service, String datacenter) {
    return watch(service, datacenter, CacheOptions.defaults());
  }

  /** Like {@link #watch(String)}, for one datacenter, with {@code options}. */
  public InstanceCache watch(String service, String datacenter, CacheOptions options) {
    return start(root + "/" + segment(service) + "/" + segment(datacenter), options);
  }

  private static String segment(String s) {
    if (s.isEmpty() || s.contains("/")) {
      throw new IllegalArgumentException("not a single key segment: '" + s + "'");
    }
    return s;
  }

  private InstanceCache start(String prefix, CacheOptions options) {
    InstanceCache c = new InstanceCache(root, prefix, options);
    c.start(client);
    return c;
  }
}
