package io.roster.cli;

import io.roster.client.MembersException;
import io.roster.client.RosterException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Failures worded as etcdctl words them, so scripts that match on etcdctl's stderr keep working: an
 * etcd error is {@code CODE: MESSAGE (CAUSE) [INDEX]} (Go's {@code client.Error}); unreachable
 * endpoints are Go's {@code client.ClusterError} with one {@code error #N} per endpoint, and
 * etcdctl's {@code handleError} repeats its detail lines after a blank line. Hints for people are
 * kept apart (see {@link CtlFailure#hint()}). Stateless.
 */
public final class ErrorText {
  static final String CLUSTER_UNAVAILABLE = "client: etcd cluster is unavailable or misconfigured";

  private ErrorText() {}

  /** Go's {@code err.Error()} for a failure of a request to {@code endpoints}. */
  public static String describe(RuntimeException e, List<URI> endpoints) {
    if (e instanceof RosterException) {
      RosterException re = (RosterException) e;
      String cause = re.errorCause();
      return re.code().code()
          + ": "
          + re.code().message()
          + " ("
          + (cause == null ? "" : cause)
          + ") ["
          + re.index()
          + "]";
    }
    if (e instanceof MembersException) {
      return e.getMessage() == null ? "" : e.getMessage();
    }
    Throwable timeout = find(e, HttpTimeoutException.class);
    if (timeout != null && !(timeout instanceof HttpConnectTimeoutException)) {
      return "client: endpoint " + endpoints.get(0) + " exceeded header timeout";
    }
    if (isConnectionFailure(e)) {
      StringBuilder sb = new StringBuilder(CLUSTER_UNAVAILABLE);
      for (int i = 0; i < endpoints.size(); i++) {
        sb.append("; error #").append(i).append(": ").append(dial(endpoints.get(i), e));
        sb.append('\n');
      }
      return sb.toString();
    }
    String m = e.getMessage();
    return m == null ? e.toString() : m;
  }

  /** etcdctl's {@code handleError}: the error line, plus the cluster detail for cluster errors. */
  public static CtlFailure handle(RuntimeException e, int exitCode, List<URI> endpoints) {
    String text = describe(e, endpoints);
    StringBuilder sb = new StringBuilder("Error:  ").append(text).append('\n');
    if (isConnectionFailure(e) && !(e instanceof RosterException)) {
      for (int i = 0; i < endpoints.size(); i++) {
        sb.append("error #").append(i).append(": ").append(dial(endpoints.get(i), e));
        sb.append('\n');
      }
      sb.append('\n');
    }
    return new CtlFailure(exitCode, sb.toString(), hint(e, endpoints));
  }

  /** Whether no endpoint could be connected to (refused, or connecting timed out). */
  public static boolean isConnectionFailure(Throwable e) {
    return find(e, ConnectException.class) != null
        || find(e, HttpConnectTimeoutException.class) != null;
  }

  /** The first throwable of {@code type} in the cause chain of {@code e}, or null. */
  static @Nullable Throwable find(Throwable e, Class<? extends Throwable> type) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < 20; depth++) {
      if (type.isInstance(t)) {
        return t;
      }
      t = t.getCause();
    }
    return null;
  }

  /**
   * Go's dial error for a failed connection to {@code endpoint}, e.g. {@code dial tcp 127.0.0.1:1:
   * connect: connection refused}.
   */
  public static String dial(URI endpoint, Throwable failure) {
    Throwable root =
        find(failure, HttpConnectTimeoutException.class) != null
            ? new HttpConnectTimeoutException("connect timed out")
            : rootCause(failure);
    int port = endpoint.getPort() >= 0 ? endpoint.getPort() : defaultPort(endpoint);
    String hostPort = endpoint.getHost() + ":" + port;
    return root instanceof HttpConnectTimeoutException
        ? "dial tcp " + hostPort + ": i/o timeout"
        : "dial tcp " + hostPort + ": connect: connection refused";
  }

  private static int defaultPort(URI endpoint) {
    return "https".equals(endpoint.getScheme()) ? 443 : 80;
  }

  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 20; depth++) {
      t = t.getCause();
    }
    return t;
  }

  private static String hint(RuntimeException e, List<URI> endpoints) {
    if (e instanceof RosterException) {
      return switch (((RosterException) e).code()) {
        case KEY_NOT_FOUND ->
            "the key does not exist: `rosterctl ls --recursive /` shows what does";
        case TEST_FAILED -> "the current value or index differs: `rosterctl -o extended get KEY`";
        case NOT_FILE -> "that is a directory: use `rm --dir` (empty) or `rm --recursive`";
        case NOT_DIR -> "that is a key, not a directory";
        case NODE_EXIST -> "it already exists: `set` overwrites, `update` needs it to exist";
        case DIR_NOT_EMPTY -> "the directory is not empty: `rm --recursive` removes it all";
        case ROOT_READ_ONLY -> "the root directory cannot be changed";
        case EVENT_INDEX_CLEARED ->
            "the server keeps the last 1000 events only: watch without --after-index";
        default -> "etcd error " + ((RosterException) e).code().code();
      };
    }
    if (isConnectionFailure(e)) {
      return "is a server running at "
          + endpoints
          + "? Set --endpoints or ROSTERCTL_ENDPOINTS (e.g. http://127.0.0.1:2379)";
    }
    return "";
  }
}
