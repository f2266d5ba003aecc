package io.roster.lb.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.lb.ResponseClass;
import io.roster.lb.ResponseClassifier;
import io.roster.lb.pool.AcquireTimeoutException;
import io.roster.lb.pool.PoolOverflowException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests, responses, the classifier, Retry-After and the inbound roster headers. */
final class HttpValuesTest {
  private final ResponseClassifier<HttpRequest, HttpResponse> classifier =
      HttpClassifier.defaults();

  private static HttpResponse status(int s) {
    return new HttpResponse(s, Map.of(), new byte[0]);
  }

  @Test
  void request_idempotencyFollowsMethod_andCanBeOverridden() {
    assertThat(HttpRequest.get("/").idempotent()).isTrue();
    assertThat(HttpRequest.of("PUT", "/", Map.of(), new byte[0]).idempotent()).isTrue();
    assertThat(HttpRequest.post("/", new byte[0]).idempotent()).isFalse();
    assertThat(HttpRequest.post("/", new byte[0]).withIdempotent(true).idempotent()).isTrue();
  }

  @Test
  void request_headersCaseInsensitive_bodyCopied() {
    byte[] body = {1, 2};
    HttpRequest r = HttpRequest.post("/", body).withHeader("X-Thing", "a");
    body[0] = 9;

    assertThat(r.header("x-thing")).isEqualTo("a");
    assertThat(r.header("X-THING")).isEqualTo("a");
    assertThat(r.body()[0]).isEqualTo((byte) 1);
    assertThat(r.withHeaders(Map.of("X-Thing", "b")).header("x-thing")).isEqualTo("b");
  }

  @Test
  void request_rejectsBadMethodOrPath() {
    assertThatThrownBy(() -> HttpRequest.of("get", "/", Map.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpRequest.get("x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> status(42)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void classify_statuses() {
    HttpRequest get = HttpRequest.get("/");
    HttpRequest post = HttpRequest.post("/", new byte[0]);

    assertThat(classifier.classify(get, status(200), null)).isEqualTo(ResponseClass.SUCCESS);
    assertThat(classifier.classify(get, status(404), null)).isEqualTo(ResponseClass.SUCCESS);
    for (int s : new int[] {429, 500, 502, 503, 504}) {
      assertThat(classifier.classify(get, status(s), null))
          .isEqualTo(ResponseClass.RETRYABLE_FAILURE);
      assertThat(classifier.classify(post, status(s), null))
          .isEqualTo(ResponseClass.NON_RETRYABLE_FAILURE);
    }
    assertThat(classifier.classify(get, status(501), null))
        .isEqualTo(ResponseClass.NON_RETRYABLE_FAILURE);
  }

  @Test
  void classify_failures_notSentAlwaysRetryable() {
    HttpRequest post = HttpRequest.post("/", new byte[0]);
    HttpRequest get = HttpRequest.get("/");

    assertThat(classifier.classify(post, null, new PoolOverflowException("h:1", 4)))
        .isEqualTo(ResponseClass.RETRYABLE_FAILURE);
    assertThat(classifier.classify(post, null, new AcquireTimeoutException("h:1", Duration.ZERO)))
        .isEqualTo(ResponseClass.RETRYABLE_FAILURE);
    assertThat(classifier.classify(post, null, new WriteFailedException("h:1", new IOException())))
        .isEqualTo(ResponseClass.RETRYABLE_FAILURE);
    assertThat(classifier.classify(post, null, new ConnectionLostException("lost", null)))
        .isEqualTo(ResponseClass.NON_RETRYABLE_FAILURE);
    assertThat(classifier.classify(get, null, new AttemptTimeoutException("h:1", Duration.ZERO)))
        .isEqualTo(ResponseClass.RETRYABLE_FAILURE);
  }

  @Test
  void retryAfter_secondsDateAndJunk() {
    long now = 1_700_000_000_000L;
    assertThat(RetryAfter.parse("2", now)).isEqualTo(2_000_000_000L);
    assertThat(RetryAfter.parse(" 0 ", now)).isZero();
    assertThat(RetryAfter.parse("Tue, 14 Nov 2023 22:13:25 GMT", now)).isEqualTo(5_000_000_000L);
    assertThat(RetryAfter.parse("Tue, 14 Nov 2023 22:13:00 GMT", now)).isZero();
    assertThat(RetryAfter.parse("soon", now)).isEqualTo(RetryAfter.NONE);
    assertThat(RetryAfter.parse(null, now)).isEqualTo(RetryAfter.NONE);
    assertThat(RetryAfter.parse("99999999999999999999", now)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void retryAfter_onlyFor429And503() {
    HttpResponse busy = new HttpResponse(503, Map.of("Retry-After", "3"), new byte[0]);
    HttpResponse limited = new HttpResponse(429, Map.of("retry-after", "1"), new byte[0]);
    HttpResponse other = new HttpResponse(500, Map.of("Retry-After", "3"), new byte[0]);

    assertThat(RetryAfter.delayNanos(busy, 0)).isEqualTo(3_000_000_000L);
    assertThat(RetryAfter.delayNanos(limited, 0)).isEqualTo(1_000_000_000L);
    assertThat(RetryAfter.delayNanos(other, 0)).isEqualTo(RetryAfter.NONE);
  }

  @Test
  void inbound_readsHeaders_andAppliesOneLayerRule() {
    Inbound first = Inbound.fromHeaders(Map.of("Roster-Timeout-Ms", "250"), 1_000);
    Inbound retry = Inbound.fromHeaders(Map.of("roster-attempt", "2"), 1_000);
    Inbound junk = Inbound.fromHeaders(Map.of("Roster-Attempt", "x", "Roster-Timeout-Ms", "-5"), 0);

    assertThat(first.retriesAllowed()).isTrue();
    assertThat(first.deadlineNanos()).isEqualTo(1_000 + 250_000_000L);
    assertThat(retry.retriesAllowed()).isFalse();
    assertThat(retry.deadlineNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(junk.attempt()).isEqualTo(1);
    assertThat(junk.remaining()).isNull();
    assertThat(Inbound.none(5).retriesAllowed()).isTrue();
  }
}
