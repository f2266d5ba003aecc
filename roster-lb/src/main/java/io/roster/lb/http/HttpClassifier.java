package io.roster.lb.http;

import io.roster.lb.NotSentException;
import io.roster.lb.ResponseClass;
import io.roster.lb.ResponseClassifier;
import org.jspecify.annotations.Nullable;

/**
 * The default classification of HTTP outcomes, shared by failure detection and retries:
 *
 * <table>
 *   <caption>Outcome → class</caption>
 *   <tr><th>outcome</th><th>idempotent request</th><th>other request</th></tr>
 *   <tr><td>{@link NotSentException} (never reached the wire)</td><td>retryable</td>
 *       <td>retryable</td></tr>
 *   <tr><td>other exception (timeout, connection lost)</td><td>retryable</td>
 *       <td>non-retryable</td></tr>
 *   <tr><td>429, 500, 502, 503, 504</td><td>retryable</td><td>non-retryable</td></tr>
 *   <tr><td>other 5xx</td><td>non-retryable</td><td>non-retryable</td></tr>
 *   <tr><td>1xx–4xx (except 429)</td><td>success</td><td>success</td></tr>
 * </table>
 *
 * <p>4xx counts as success because it is the caller's error, not the endpoint's: counting it would
 * eject healthy endpoints for a client's bad requests. 429 is an endpoint saying it is overloaded.
 */
public final class HttpClassifier {
  private HttpClassifier() {}

  /** The classification above. Thread-safe and stateless. */
  public static ResponseClassifier<HttpRequest, HttpResponse> defaults() {
    return HttpClassifier::classify;
  }

  private static ResponseClass classify(
      HttpRequest request, @Nullable HttpResponse response, @Nullable Throwable failure) {
    ResponseClass failed =
        request.idempotent()
            ? ResponseClass.RETRYABLE_FAILURE
            : ResponseClass.NON_RETRYABLE_FAILURE;
    if (failure != null || response == null) {
      return failure instanceof NotSentException ? ResponseClass.RETRYABLE_FAILURE : failed;
    }
    int s = response.status();
    if (s == 429 || s == 500 || s == 502 || s == 503 || s == 504) {
      return failed;
    }
    return s >= 500 ? ResponseClass.NON_RETRYABLE_FAILURE : ResponseClass.SUCCESS;
  }
}
