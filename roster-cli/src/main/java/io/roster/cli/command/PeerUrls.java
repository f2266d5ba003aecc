package io.roster.cli.command;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Peer URLs checked as etcd's Go client checks them ({@code types.NewURLs}) before it sends a
 * members request, with the same messages. Stateless.
 */
final class PeerUrls {
  private static final java.util.regex.Pattern SCHEME =
      java.util.regex.Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

  private PeerUrls() {}

  /**
   * Parses and checks each URL.
   *
   * @throws IllegalArgumentException with Go's message for the first bad one
   */
  static List<URI> parse(List<String> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no valid URLs given");
    }
    List<URI> out = new ArrayList<>();
    for (String raw : urls) {
      String in = raw.strip();
      java.util.regex.Matcher m = SCHEME.matcher(in);
      if (!m.find() || !List.of("http", "https", "unix", "unixs").contains(m.group(1))) {
        throw new IllegalArgumentException("URL scheme must be http, https, unix, or unixs: " + in);
      }
      URI u;
      try {
        u = new URI(in);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("parse " + in + ": " + e.getReason(), e);
      }
      if (u.getHost() == null || u.getPort() < 0) {
        throw new IllegalArgumentException(
            "URL address does not have the form \"host:port\": " + in);
      }
      if (u.getRawPath() != null && !u.getRawPath().isEmpty()) {
        throw new IllegalArgumentException("URL must not contain a path: " + in);
      }
      out.add(u);
    }
    return out;
  }
}
