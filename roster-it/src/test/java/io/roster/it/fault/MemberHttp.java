package io.roster.it.fault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Plain etcd v2 HTTP over {@code java.net.http}, one connection pool per instance: a request in,
 * status, {@code X-Etcd-Index} and body out. Deliberately independent of roster-client. Safe for
 * concurrent use.
 */
final class MemberHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** One response; {@code etcdIndex} is -1 when the header is missing. */
  record Reply(int status, long etcdIndex, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("not JSON: " + status + " " + body, e);
      }
    }

    /** The etcd error code of an error body, or 0. */
    int errorCode() {
      try {
        return JSON.readTree(body).path("errorCode").asInt(0);
      } catch (JsonProcessingException e) {
        return 0;
      }
    }

    @Override
    public String toString() {
      return status + " " + body.strip();
    }
  }

  /**
   * Sends one request and waits for the whole answer.
   *
   * @param form an {@code application/x-www-form-urlencoded} body, or null for none
   * @throws IOException on any transport failure, including {@link
   *     java.net.http.HttpTimeoutException} after {@code timeout}; a write may still have been
   *     applied
   */
  Reply send(URI base, String method, String pathAndQuery, @Nullable String form, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout);
    if (form != null) {
      b.header("Content-Type", "application/x-www-form-urlencoded")
          .method(method, HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r =
        client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    long index = r.headers().firstValueAsLong("X-Etcd-Index").orElse(-1);
    return new Reply(r.statusCode(), index, r.body());
  }

  /** Like {@link #send} but answers null instead of throwing on a transport failure. */
  @Nullable Reply trySend(
      URI base, String method, String pathAndQuery, @Nullable String form, Duration timeout) {
    try {
      return send(base, method, pathAndQuery, form, timeout);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
