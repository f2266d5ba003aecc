package io.roster.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * etcd's CORS policy ({@code --cors}): with {@code *} (the default) every response carries the
 * three {@code Access-Control-*} headers; with an explicit origin list they are added only when the
 * request's {@code Origin} is listed, and {@code Access-Control-Allow-Origin} echoes it. An {@code
 * OPTIONS} request on any path is answered 200 with an empty body before routing (see {@link
 * HttpConnection}). Immutable and thread-safe.
 */
public final class Cors {
  private static final Cors ALLOW_ALL = new Cors(Set.of("*"));

  private final Set<String> origins;

  private Cors(Set<String> origins) {
    this.origins = origins;
  }

  /** etcd's default: {@code Access-Control-Allow-Origin: *} on every response. */
  public static Cors allowAll() {
    return ALLOW_ALL;
  }

  /**
   * An explicit origin list, as etcd's comma-separated {@code --cors}; a list containing {@code *}
   * allows all.
   */
  public static Cors of(List<String> origins) {
    return origins.contains("*") ? ALLOW_ALL : new Cors(Set.copyOf(origins));
  }

  /** Adds the CORS headers a response to a request with this {@code Origin} gets. */
  void addTo(HttpHeaders headers, @Nullable String requestOrigin) {
    String allow;
    if (origins.contains("*")) {
      allow = "*";
    } else if (requestOrigin != null && origins.contains(requestOrigin)) {
      allow = requestOrigin;
    } else {
      return;
    }
    headers.add("Access-Control-Allow-Headers", "accept, content-type, authorization");
    headers.add("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE");
    headers.add("Access-Control-Allow-Origin", allow);
  }
}
