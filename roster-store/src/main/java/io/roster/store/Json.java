package io.roster.store;

import io.roster.api.ErrorCode;
import org.jspecify.annotations.Nullable;

/** Go-compatible JSON rendering of nodes, events and errors (etcd's encoding/json output). */
final class Json {
  private Json() {}

  static String errorBody(ErrorCode code, @Nullable String cause, long index) {
    throw new UnsupportedOperationException("store: being written");
  }
}
