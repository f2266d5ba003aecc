package io.roster.cli;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * etcdctl's global options, given before the command ({@code rosterctl -o json get /k}). Plain
 * fields picocli fills in; not thread-safe.
 */
public final class GlobalOptions {
  @Option(
      names = "--endpoints",
      paramLabel = "URLS",
      description =
          "Comma-separated server URLs (default: $ROSTERCTL_ENDPOINTS, $ETCDCTL_ENDPOINTS, else "
              + Session.DEFAULT_ENDPOINTS
              + ").")
  @Nullable String endpoints;

  @Option(names = "--endpoint", hidden = true, description = "Deprecated: use --endpoints.")
  @Nullable String endpoint;

  @Option(
      names = {"--peers", "-C"},
      hidden = true,
      description = "Deprecated: use --endpoints.")
  @Nullable String peers;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "simple",
      description = "Output format: simple, extended or json (default: ${DEFAULT-VALUE}).")
  String output = "simple";

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = GoDuration.class,
      description = "Timeout of each request, e.g. 500ms, 2s (default: ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofSeconds(2);

  @Option(
      names = "--total-timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = GoDuration.class,
      description = "Timeout of the whole command, except watches (default: ${DEFAULT-VALUE}).")
  Duration totalTimeout = Duration.ofSeconds(5);

  @Option(
      names = "--no-sync",
      description = "Do not read the member list before the request; use the endpoints as given.")
  boolean noSync;

  /** The {@code -o} format as given. */
  public String output() {
    return output;
  }

  /** Timeout of the whole command (etcdctl's {@code --total-timeout}). */
  public Duration totalTimeout() {
    return totalTimeout;
  }
}
