package io.roster.client;

import io.roster.api.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * The server answered with an etcd error, e.g. {@link ErrorCode#KEY_NOT_FOUND} or {@link
 * ErrorCode#TEST_FAILED}. For every code but one the operation was not applied; {@link
 * ErrorCode#RAFT_INTERNAL} (300) on a write means the server gave up waiting for the commit, and
 * the write may still be applied later. Immutable.
 */
public final class RosterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final @Nullable String errorCause;
  private final long index;

  /** An error as decoded from {@code {"errorCode","message","cause","index"}}. */
  public RosterException(ErrorCode code, @Nullable String errorCause, long index) {
    super(
        code.code()
            + " "
            + code.message()
            + (errorCause == null ? "" : " (" + errorCause + ")")
            + " [index "
            + index
            + "]");
    this.code = code;
    this.errorCause = errorCause;
    this.index = index;
  }

  /** The etcd error code. */
  public ErrorCode code() {
    return code;
  }

  /** etcd's {@code cause} field (usually the key), {@code null} if the server left it out. */
  public @Nullable String errorCause() {
    return errorCause;
  }

  /** The store index the server reported with the error (0 for validation errors). */
  public long index() {
    return index;
  }
}
