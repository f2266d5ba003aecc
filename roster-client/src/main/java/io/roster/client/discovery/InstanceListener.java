package io.roster.client.discovery;

/**
 * Told about changes of an {@link InstanceCache}, after {@link InstanceCache#instances()} already
 * reflects them. Called on the cache's watch thread, one change at a time in index order; a slow
 * listener delays later updates (never loses them). All methods default to doing nothing.
 */
public interface InstanceListener {
  /** A new instance appeared. */
  default void onAdded(ServiceInstance instance) {}

  /** An instance was deleted, deregistered or expired. */
  default void onRemoved(ServiceInstance instance) {}

  /** An instance's entry changed (e.g. its state), same key. */
  default void onChanged(ServiceInstance before, ServiceInstance after) {}
}
