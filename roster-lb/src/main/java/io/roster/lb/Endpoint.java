package io.roster.lb;

import org.jspecify.annotations.Nullable;

/**
 * One place a request can be sent: a host, a port and a relative weight. Immutable.
 *
 * <p>Balancers identify endpoints by {@link #address()}, so a weight change for the same address
 * keeps the endpoint's load history.
 *
 * @param host host name or IP literal, not blank
 * @param port TCP port, 1–65535
 * @param weight relative share of traffic, finite and positive; 1.0 is the norm
 * @param zone the availability zone or datacenter it runs in, or {@code null} if unknown; used only
 *     by zone-aware balancing
 */
public record Endpoint(String host, int port, double weight, @Nullable String zone) {

  /**
   * @throws IllegalArgumentException if {@code host} is blank, {@code port} is out of range, or
   *     {@code weight} is not finite and positive
   */
  public Endpoint {
    if (host.isBlank()) {
      throw new IllegalArgumentException("blank host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be finite and positive: " + weight);
    }
  }

  /** An endpoint in no particular zone. */
  public Endpoint(String host, int port, double weight) {
    this(host, port, weight, null);
  }

  /** An endpoint of weight 1 in no particular zone. */
  public static Endpoint of(String host, int port) {
    return new Endpoint(host, port, 1.0, null);
  }

  /** {@code host:port}, the endpoint's identity inside a balancer. */
  public String address() {
    return host + ":" + port;
  }
}
