package io.roster.store;

/**
 * The result of a store operation: a success carrying the rendered response body, or a {@link
 * StoreError}. Domain failures ("key not found", "compare failed") are results, never exceptions.
 */
public sealed interface Outcome permits Event, ReadResult, StoreError {

  /** The etcd index reported with this outcome ({@code X-Etcd-Index}, and an error's "index"). */
  long index();

  /** The HTTP status etcd answers with: 200, 201, or the error's status. */
  int httpStatus();

  /** The exact response body etcd sends: compact JSON followed by a newline. Do not modify. */
  byte[] body();
}
