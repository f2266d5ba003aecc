package io.roster.server.cluster;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed {@code --initial-cluster} flag: {@code name=peerURL[,name=peerURL…]}, where a name may
 * repeat to give a member several peer URLs (etcd's {@code types.NewURLsMap}).
 */
public record InitialCluster(Map<String, List<String>> peerUrlsByName) {

  public InitialCluster {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    peerUrlsByName.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    peerUrlsByName = Collections.unmodifiableMap(copy);
  }

  /**
   * Parses the flag value.
   *
   * @throws IllegalArgumentException with a message fit for the user when the value is malformed
   */
  public static InitialCluster parse(String flag) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (String part : flag.split(",", -1)) {
      String item = part.trim();
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        throw new IllegalArgumentException(
            "--initial-cluster: expected name=peerURL, got \"" + item + "\"");
      }
      String url = item.substring(eq + 1);
      PeerUrls.check(url);
      map.computeIfAbsent(item.substring(0, eq), k -> new ArrayList<>()).add(url);
    }
    return new InitialCluster(map);
  }

  /** The member names, in flag order. */
  public List<String> names() {
    return List.copyOf(peerUrlsByName.keySet());
  }

  /** URL helpers shared by the flags. */
  public static final class PeerUrls {
    private PeerUrls() {}

    /**
     * Checks an http URL with host and port, as etcd requires for peer and client URLs (https is
     * refused until TLS exists).
     *
     * @throws IllegalArgumentException naming the bad URL
     */
    public static URI check(String url) {
      URI u;
      try {
        u = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid URL \"" + url + "\": " + e.getMessage(), e);
      }
      if ("https".equals(u.getScheme())) {
        // Serving an https URL in plain text would be worse than refusing it.
        throw new IllegalArgumentException("TLS is not supported yet; use an http URL: " + url);
      }
      if (!"http".equals(u.getScheme())) {
        throw new IllegalArgumentException("URL scheme must be http: " + url);
      }
      if (u.getHost() == null || u.getPort() < 0) {
        throw new IllegalArgumentException("URL must have a host and a port: " + url);
      }
      return u;
    }
  }
}
