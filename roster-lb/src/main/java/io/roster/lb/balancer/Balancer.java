package io.roster.lb.balancer;

import io.roster.lb.Endpoint;
import io.roster.lb.Status;
import java.util.List;
import java.util.Set;

/**
 * Chooses an endpoint for each request and learns from how each request went.
 *
 * <p>Every {@link #pick()} must be followed by exactly one {@link Pick#release} when the request
 * ends (successfully or not), or the balancer believes the request is still in flight forever.
 *
 * <p><b>Thread-safety.</b> All methods are thread-safe and non-blocking. {@link #pick()} is O(1) in
 * the number of endpoints and lock-free apart from the two per-endpoint metric locks P2C-EWMA
 * takes; {@link #update} is O(n) and serialised with other updates, never with picks. Requests in
 * flight on an endpoint that {@link #update} removes finish normally.
 */
public interface Balancer {

  /**
   * Picks an endpoint and records that a request starts there.
   *
   * @throws NoEndpointsException if the balancer holds no endpoints
   */
  Pick pick();

  /**
   * Like {@link #pick()}, but steers away from the endpoints whose {@link Endpoint#address()} is in
   * {@code avoid} (a retry's earlier endpoints) exactly as it steers away from unhealthy ones: it
   * re-picks a bounded number of times and then takes what it has, so with one endpoint a retry
   * still goes to it. Same cost and thread-safety as {@link #pick()}.
   *
   * @throws NoEndpointsException if the balancer holds no endpoints
   */
  Pick pick(Set<String> avoid);

  /**
   * Replaces the endpoint set. Endpoints already present (same {@link Endpoint#address()}) keep
   * their load history and health; new ones start from a seeded cost (see {@link Balancers}).
   */
  void update(List<Endpoint> endpoints);

  /** The endpoints now held, in the order last given to {@link #update}. */
  List<Endpoint> endpoints();

  /** The best status among the endpoints; {@link Status#CLOSED} when empty. O(n). */
  Status status();
}
