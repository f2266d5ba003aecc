package io.roster.client.internal;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The client's endpoints with one of them pinned: every request goes to the pinned endpoint until
 * it fails at the connection level, then the next one is pinned (round robin). Pinning keeps a
 * client's reads and watches on one member, so it sees that member's index move monotonically.
 *
 * <p>The list is the seeds given to the builder plus the client URLs the cluster reports in {@code
 * /v2/members}, capped at {@link #MAX}; a member list never removes the seeds, so a client can
 * always get back to where it started. Thread-safe.
 */
public final class Endpoints {
  /** At most this many endpoints are kept, whatever the cluster reports. */
  public static final int MAX = 64;

  private final List<URI> seeds;

  @GuardedBy("this")
  private List<URI> all;

  @GuardedBy("this")
  private int pinned;

  /**
   * @throws IllegalArgumentException if {@code seeds} is empty
   */
  public Endpoints(List<URI> seeds) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("no endpoints");
    }
    this.seeds = List.copyOf(normalize(seeds));
    this.all = this.seeds;
  }

  /** The endpoints in the order to try them, the pinned one first. */
  public synchronized List<URI> inTryOrder() {
    List<URI> out = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      out.add(all.get((pinned + i) % all.size()));
    }
    return out;
  }

  /** The pinned endpoint. */
  public synchronized URI pinned() {
    return all.get(pinned);
  }

  /** All endpoints, in list order. */
  public synchronized List<URI> all() {
    return all;
  }

  /** Reports that {@code endpoint} failed; if it is pinned, the next one is pinned instead. */
  public synchronized void failed(URI endpoint) {
    if (all.get(pinned).equals(endpoint)) {
      pinned = (pinned + 1) % all.size();
    }
  }

  /**
   * Replaces the cluster-reported part of the list; keeps the pinned endpoint pinned if it is still
   * listed. An empty list changes nothing.
   */
  public synchronized void updateMembers(List<URI> clientUrls) {
    if (clientUrls.isEmpty()) {
      return;
    }
    URI current = all.get(pinned);
    Set<URI> merged = new LinkedHashSet<>(normalize(clientUrls));
    merged.addAll(seeds);
    List<URI> next = new ArrayList<>(merged);
    if (next.size() > MAX) {
      next = next.subList(0, MAX);
    }
    all = List.copyOf(next);
    int at = all.indexOf(current);
    pinned = at >= 0 ? at : 0;
  }

  private static List<URI> normalize(List<URI> uris) {
    List<URI> out = new ArrayList<>(uris.size());
    for (URI u : uris) {
      String s = u.toString();
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      out.add(URI.create(s));
    }
    return out;
  }
}
