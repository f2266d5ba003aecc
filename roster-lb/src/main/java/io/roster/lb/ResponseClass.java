package io.roster.lb;

/**
 * What one reply (or failure) means, as decided by a {@link ResponseClassifier}. Failure detection
 * counts {@link #isFailure() failures}; retries act only on {@link #RETRYABLE_FAILURE}.
 */
public enum ResponseClass {
  /** The request did what was asked. */
  SUCCESS,
  /** It failed, and sending it again (elsewhere) is safe and may help. */
  RETRYABLE_FAILURE,
  /** It failed, and must not be sent again (not idempotent, or the failure is the caller's). */
  NON_RETRYABLE_FAILURE;

  /** True for both failure classes. */
  public boolean isFailure() {
    return this != SUCCESS;
  }
}
