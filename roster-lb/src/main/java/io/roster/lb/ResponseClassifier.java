package io.roster.lb;

import org.jspecify.annotations.Nullable;

/**
 * Maps a request and its outcome to a {@link ResponseClass}: one decision shared by failure
 * detection and retries, as Finagle's {@code ResponseClassifier}. Must be thread-safe, fast and
 * side-effect free.
 *
 * @param <Req> the request type
 * @param <Rep> the reply type
 */
@FunctionalInterface
public interface ResponseClassifier<Req, Rep> {

  /**
   * Classifies one outcome: exactly one of {@code reply} and {@code failure} is non-null.
   *
   * @param failure the exception the stage completed with, unwrapped from {@link
   *     java.util.concurrent.CompletionException}
   */
  ResponseClass classify(Req request, @Nullable Rep reply, @Nullable Throwable failure);

  /**
   * Every reply is a success and every exception a non-retryable failure: the safe default when
   * nothing is known about idempotency.
   */
  static <Req, Rep> ResponseClassifier<Req, Rep> exceptionsAreFailures() {
    return (request, reply, failure) ->
        failure == null ? ResponseClass.SUCCESS : ResponseClass.NON_RETRYABLE_FAILURE;
  }
}
