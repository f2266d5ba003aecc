package io.roster.store;

import io.roster.api.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * An etcd v2 error result: code, optional cause, and the index reported with it (the store's
 * current index for store errors, 0 for request-validation errors). Immutable.
 */
public record StoreError(ErrorCode code, @Nullable String cause, long index)
    implements Outcome, WatchResult {

  @Override
  public int httpStatus() {
    return code.httpStatus();
  }

  /**
   * {@code {"errorCode":…,"message":…,"cause":…,"index":…}} plus a newline, encoded like Go's
   * {@code encoding/json}; cause left out when null or empty. A fresh array on every call.
   */
  @Override
  public byte[] body() {
    return Json.errorBody(code, cause, index);
  }
}
