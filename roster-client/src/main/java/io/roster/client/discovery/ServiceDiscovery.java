package io.roster.client.discovery;

import io.roster.client.RosterClient;

/**
 * Finds instances registered under a root (default {@code /services}) by {@link ServiceRegistry} or
 * by the seed's node code. Thread-safe and stateless; each cache it makes owns one watch.
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
   * A cache of every instance of {@code service} in all datacenters. Blocks for the initial read (a
   * quorum read, so it includes every registration acknowledged before the call).
   *
   * @throws RuntimeException the client's exceptions if the initial read failed (see {@link
   *     RosterClient#get}); a missing service is not an error, just an empty list
   */
  public InstanceCache watch(String service) {
    return start(root + "/" + service);
  }

  /** Like {@link #watch(String)}, for one datacenter. */
  public InstanceCache watch(String service, String datacenter) {
    return start(root + "/" + service + "/" + datacenter);
  }

  private InstanceCache start(String prefix) {
    InstanceCache c = new InstanceCache(root, prefix);
    c.start(client);
    return c;
  }
}
