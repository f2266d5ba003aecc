package io.roster.server.http;

/**
 * etcd 3.4's client mux ({@code etcdserver/api/v2http/client.go} on Go's {@code http.ServeMux}) as
 * a pure function from a decoded request path to an {@link Endpoint}.
 *
 * <p>Go's mux first cleans the path ({@link PathCleaner#cleanPath}); a path that changes is
 * answered with 301 to the cleaned, re-escaped path plus the original query, whatever the method
 * and whether or not anything is registered there. Then patterns match: a pattern ending in {@code
 * /} matches its whole subtree, others match exactly, the longest pattern wins, and {@code /} (etcd
 * registers {@code http.NotFound} there) catches the rest. The registered patterns are {@code
 * /v2/keys}, {@code /v2/keys/}, {@code /v2/members}, {@code /v2/members/}, {@code /v2/machines},
 * {@code /v2/stats/self|leader|store}, {@code /v2/auth/users}, {@code /v2/auth/users/}, {@code
 * /v2/auth/roles}, {@code /v2/auth/roles/}, {@code /v2/auth/enable}, {@code /version}, {@code
 * /health} and {@code /metrics}; because every subtree pattern also has its exact twin, Go's
 * "redirect {@code /x} to {@code /x/}" rule never fires. etcd's {@code /debug/vars} and {@code
 * /config/local/log} are not served (404).
 */
final class Router {
  private Router() {}

  /** What a clean path is routed to. */
  enum Endpoint {
    KEYS,
    MEMBERS,
    MACHINES,
    STATS_SELF,
    STATS_LEADER,
    STATS_STORE,
    VERSION,
    HEALTH,
    METRICS,
    AUTH,
    NOT_FOUND
  }

  /** The endpoint for a path that is already clean ({@code cleanPath(path).equals(path)}). */
  static Endpoint route(String path) {
    if (path.equals("/v2/keys") || path.startsWith("/v2/keys/")) {
      return Endpoint.KEYS;
    }
    if (path.equals("/v2/members") || path.startsWith("/v2/members/")) {
      return Endpoint.MEMBERS;
    }
    if (path.equals("/v2/auth/users")
        || path.startsWith("/v2/auth/users/")
        || path.equals("/v2/auth/roles")
        || path.startsWith("/v2/auth/roles/")
        || path.equals("/v2/auth/enable")) {
      return Endpoint.AUTH;
    }
    return switch (path) {
      case "/v2/machines" -> Endpoint.MACHINES;
      case "/v2/stats/self" -> Endpoint.STATS_SELF;
      case "/v2/stats/leader" -> Endpoint.STATS_LEADER;
      case "/v2/stats/store" -> Endpoint.STATS_STORE;
      case "/version" -> Endpoint.VERSION;
      case "/health" -> Endpoint.HEALTH;
      case "/metrics" -> Endpoint.METRICS;
      default -> Endpoint.NOT_FOUND;
    };
  }

  /**
   * The {@code Location} of Go's clean-path redirect, or null when the path is clean: the cleaned
   * path escaped like {@code url.URL.String()}, plus {@code ?query} when the query is non-empty.
   */
  static @org.jspecify.annotations.Nullable String redirectFor(String path, String rawQuery) {
    String clean = PathCleaner.cleanPath(path);
    if (clean.equals(path)) {
      return null;
    }
    String location = PathCleaner.escapePath(clean);
    return rawQuery.isEmpty() ? location : location + "?" + rawQuery;
  }
}
