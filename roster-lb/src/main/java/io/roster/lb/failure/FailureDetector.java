package io.roster.lb.failure;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.Status;

/**
 * Decides, from the outcomes of real requests, which endpoints a balancer should avoid. A balancer
 * calls {@link #track} for every endpoint it holds and {@link #untrack} when one leaves; it then
 * asks each endpoint's {@link EndpointHealth} for its status on every pick.
 *
 * <p>Implementations are thread-safe and non-blocking.
 */
public interface FailureDetector {

  /** Starts watching {@code endpoint}; the handle is valid until {@link #untrack}. */
  EndpointHealth track(Endpoint endpoint);

  /** Stops watching; later outcomes reported through {@code health} are ignored. Idempotent. */
  void untrack(EndpointHealth health);

  /** The share of tracked endpoints currently ejected, in [0, 1]; 0 when none are tracked. */
  double ejectedShare();

  /** A detector that never ejects anything. */
  static FailureDetector none() {
    return NeverEject.INSTANCE;
  }

  /** The detector behind {@link #none()}. */
  enum NeverEject implements FailureDetector {
    INSTANCE;

    @Override
    public EndpointHealth track(Endpoint endpoint) {
      return new EndpointHealth() {
        @Override
        public Status status() {
          return Status.OPEN;
        }

        @Override
        public void onStart() {}

        @Override
        public void onResponse(long rttNanos, ResponseClass outcome) {}
      };
    }

    @Override
    public void untrack(EndpointHealth health) {}

    @Override
    public double ejectedShare() {
      return 0;
    }
  }
}
