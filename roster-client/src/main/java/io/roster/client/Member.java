package io.roster.client;

import java.net.URI;
import java.util.List;

/**
 * One member of the cluster as {@code GET /v2/members} reports it. Immutable.
 *
 * @param id the member id, lower-case hex as etcd prints it (e.g. {@code 8e9e05c52164694d})
 * @param name the member's name; {@code ""} for a member that was added but has not started yet
 * @param peerUrls the URLs the other members reach it on
 * @param clientUrls the URLs clients reach it on; empty for a member that has not started yet
 */
public record Member(String id, String name, List<URI> peerUrls, List<URI> clientUrls) {

  /** Copies the lists. */
  public Member {
    peerUrls = List.copyOf(peerUrls);
    clientUrls = List.copyOf(clientUrls);
  }

  /** Whether the member was added but has never started (etcd shows it as {@code [unstarted]}). */
  public boolean unstarted() {
    return name.isEmpty();
  }
}
