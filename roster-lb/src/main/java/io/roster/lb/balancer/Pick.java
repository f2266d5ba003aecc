package io.roster.lb.balancer;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;

/**
 * One request's claim on an endpoint, from {@link Balancer#pick()} to {@link #release}.
 * Thread-safe: {@link #release} may be called from any thread.
 */
public interface Pick {

  /** Where to send the request. */
  Endpoint endpoint();

  /**
   * Ends the request: records its latency (from the pick until now) and outcome in the endpoint's
   * load metric and failure detector. Call exactly once; later calls are ignored.
   */
  void release(ResponseClass outcome);

  /**
   * Ends the request without learning from it: in-flight count goes down, but no latency or outcome
   * is recorded (a cancelled hedge, a request the endpoint's pool rejected locally). Mutually
   * exclusive with {@link #release}: whichever is called first wins.
   */
  void abandon();
}
