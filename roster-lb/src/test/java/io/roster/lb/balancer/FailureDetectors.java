package io.roster.lb.balancer;

import io.roster.lb.Endpoint;
import io.roster.lb.ResponseClass;
import io.roster.lb.Status;
import io.roster.lb.failure.EndpointHealth;
import io.roster.lb.failure.FailureDetector;
import java.util.HashMap;
import java.util.Map;

/** Test doubles for health: fixed statuses, and a detector whose statuses a test sets by host. */
final class FailureDetectors {
  private FailureDetectors() {}

  static EndpointHealth fixed(Status status) {
    return new EndpointHealth() {
      @Override
      public Status status() {
        return status;
      }

      @Override
      public void onStart() {}

      @Override
      public void onResponse(long rttNanos, ResponseClass outcome) {}
    };
  }

  /** A detector whose per-host status a test sets; records untracks. */
  static final class Fake implements FailureDetector {
    final Map<String, Status> statuses = new HashMap<>();
    final Map<String, Integer> untracked = new HashMap<>();
    int tracked;

    @Override
    public EndpointHealth track(Endpoint endpoint) {
      tracked++;
      return new EndpointHealth() {
        @Override
        public Status status() {
          return statuses.getOrDefault(endpoint.host(), Status.OPEN);
        }

        @Override
        public void onStart() {}

        @Override
        public void onResponse(long rttNanos, ResponseClass outcome) {}

        @Override
        public String toString() {
          return endpoint.host();
        }
      };
    }

    @Override
    public void untrack(EndpointHealth health) {
      untracked.merge(health.toString(), 1, Integer::sum);
    }

    @Override
    public double ejectedShare() {
      return tracked == 0
          ? 0
          : statuses.values().stream().filter(s -> s != Status.OPEN).count() / (double) tracked;
    }
  }
}
