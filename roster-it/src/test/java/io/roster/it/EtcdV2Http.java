package io.roster.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A small etcd v2 HTTP client for tests (java.net.http + Jackson): raw request in, status, headers
 * and body out. Form bodies are sent as {@code application/x-www-form-urlencoded}. Nothing here
 * interprets errors: tests assert on {@link Reply}.
 */
final class EtcdV2Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(3))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final URI base;
  private final Duration timeout;

  EtcdV2Http(URI base) {
    this(base, Duration.ofSeconds(10));
  }

  EtcdV2Http(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
  }

  /** Status, headers (names lower-cased) and body text of one response. */
  record Reply(int status, Map<String, List<String>> headers, String body) {
    @Nullable String header(String name) {
      List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    long etcdIndex() {
      String v = header("X-Etcd-Index");
      if (v == null) {
        throw new AssertionError("no X-Etcd-Index header in " + this);
      }
      return Long.parseLong(v);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("not JSON (" + e.getOriginalMessage() + "): " + this, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + body.strip();
    }
  }

  /** {@code a=1&b=2} from name/value pairs, URL-encoded. */
  static String form(String... pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException("pairs must come in twos");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(enc(pairs[i])).append('=').append(enc(pairs[i + 1]));
    }
    return sb.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Reply get(String keyAndQuery) {
    return send("GET", "/v2/keys" + keyAndQuery, null);
  }

  Reply put(String key, String form) {
    return send("PUT", "/v2/keys" + key, form);
  }

  Reply post(String key, String form) {
    return send("POST", "/v2/keys" + key, form);
  }

  Reply delete(String keyAndQuery) {
    return send("DELETE", "/v2/keys" + keyAndQuery, null);
  }

  /** The store's current index, from {@code X-Etcd-Index} of {@code GET /v2/keys/}. */
  long currentIndex() {
    return get("/").etcdIndex();
  }

  Reply send(String method, String pathAndQuery, @Nullable String form) {
    try {
      HttpResponse<String> r =
          CLIENT.send(request(method, pathAndQuery, form), HttpResponse.BodyHandlers.ofString());
      return toReply(r);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + base + pathAndQuery + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends without waiting (for long-poll watches); the future completes with the whole body. */
  CompletableFuture<Reply> sendAsync(String method, String pathAndQuery, @Nullable String form) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .method(method, bodyOf(form))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .build();
    return CLIENT
        .sendAsync(req, HttpResponse.BodyHandlers.ofString())
        .thenApply(EtcdV2Http::toReply);
  }

  private HttpRequest request(String method, String pathAndQuery, @Nullable String form) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(timeout)
            .method(method, bodyOf(form));
    if (form != null) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return b.build();
  }

  private static HttpRequest.BodyPublisher bodyOf(@Nullable String form) {
    return form == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8);
  }

  private static Reply toReply(HttpResponse<String> r) {
    Map<String, List<String>> headers =
        r.headers().map().entrySet().stream()
            .collect(
                Collectors.toMap(
                    e -> e.getKey().toLowerCase(java.util.Locale.ROOT),
                    Map.Entry::getValue,
                    (a, b) -> a));
    return new Reply(r.statusCode(), headers, r.body());
  }

  /** Raw JSON text of a node, for messages. */
  static String pretty(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      return String.valueOf(n);
    }
  }

  URI base() {
    return base;
  }
}
