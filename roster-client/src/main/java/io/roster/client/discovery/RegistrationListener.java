package io.roster.client.discovery;

/**
 * Told what happens to a {@link Registration} in the background. Called on the registry's scheduler
 * thread; must not block for long. Both methods default to doing nothing.
 */
public interface RegistrationListener {
  /**
   * The key had expired or been deleted (network loss, long pause) and was written again; watchers
   * saw the instance disappear and come back.
   */
  default void onRecreated(ServiceInstance instance) {}

  /**
   * A refresh failed (registry unreachable, or its outcome is unknown); the next one is tried at
   * the usual interval. If failures last longer than the TTL, the key expires.
   */
  default void onRefreshFailed(ServiceInstance instance, RuntimeException error) {}
}
