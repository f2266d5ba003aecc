package io.roster.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roster.client.internal.HttpTransport;
import io.roster.client.internal.RawResponse;
import io.roster.client.internal.Wire;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The etcd v2 members API ({@code /v2/members}) and each member's {@code /health}, through the
 * client's endpoints with the client's failover rules (see {@link RosterClient}); made by {@link
 * RosterClient#members()}. Status handling follows etcd's Go client: each call accepts exactly the
 * statuses etcd defines for it, and anything else is a {@link MembersException}.
 *
 * <p>Every method blocks for at most (endpoints × request timeout). Changes ({@link #add}, {@link
 * #remove}, {@link #update}) are writes: a lost answer is an {@link OutcomeUnknownException}, and
 * the change may have been made. Thread-safe and stateless.
 */
public final class Members {
  private final HttpTransport transport;
  private final Duration requestTimeout;

  Members(HttpTransport transport, Duration requestTimeout) {
    this.transport = transport;
    this.requestTimeout = requestTimeout;
  }

  /**
   * Every member, in the server's order.
   *
   * @throws MembersException if the answer is not 200
   * @throws RosterTransportException if no endpoint answered or the answer is not the members API
   */
  public List<Member> list() {
    RawResponse r = await(transport.send("GET", "/v2/members", null, false), false);
    expect(r, 200);
    JsonNode members = Wire.parse(r).get("members");
    List<Member> out = new ArrayList<>();
    if (members != null && members.isArray()) {
      for (JsonNode m : members) {
        out.add(member(m, r));
      }
    }
    return out;
  }

  /**
   * The member that is the Raft leader ({@code GET /v2/members/leader}).
   *
   * @throws MembersException if the answer is not 200 (e.g. 503 while there is no leader)
   * @throws RosterTransportException if no endpoint answered or the answer is not the members API
   */
  public Member leader() {
    RawResponse r = await(transport.send("GET", "/v2/members/leader", null, false), false);
    expect(r, 200);
    return member(Wire.parse(r), r);
  }

  /**
   * Adds a member that will join from {@code peerUrl} ({@code POST /v2/members}); it stays
   * unstarted until it runs with {@code --initial-cluster-state=existing}.
   *
   * @return the new member, without name and client URLs
   * @throws MembersException 409 if a member already has that peer URL (with etcd's message), or
   *     any status other than 201
   * @throws OutcomeUnknownException if the member may or may not have been added
   * @throws RosterTransportException if it was certainly not added
   */
  public Member add(URI peerUrl) {
    ObjectNode body = Wire.json().createObjectNode();
    body.putArray("peerURLs").add(peerUrl.toString());
    RawResponse r =
        await(
            transport.send("POST", "/v2/members", body.toString(), "application/json", true), true);
    if (r.status() == 409) {
      throw new MembersException(409, message(r));
    }
    expect(r, 201);
    return member(Wire.parse(r), r);
  }

  /**
   * Removes the member {@code id} ({@code DELETE /v2/members/ID}). As in etcd's client, 410 (a
   * member that was already removed) counts as success.
   *
   * @throws MembersException for any status other than 204 and 410 (e.g. 404 for an unknown id)
   * @throws OutcomeUnknownException if the member may or may not have been removed
   * @throws RosterTransportException if it was certainly not removed
   */
  public void remove(String id) {
    RawResponse r = await(transport.send("DELETE", "/v2/members/" + encode(id), null, true), true);
    if (r.status() != 204 && r.status() != 410) {
      throw unexpected(r);
    }
  }

  /**
   * Replaces the peer URLs of member {@code id} ({@code PUT /v2/members/ID}).
   *
   * @throws MembersException 404 (unknown id) or 409 (URL in use) with etcd's message, or any
   *     status other than 204
   * @throws OutcomeUnknownException if the change may or may not have been made
   * @throws RosterTransportException if it was certainly not made
   */
  public void update(String id, List<URI> peerUrls) {
    ObjectNode body = Wire.json().createObjectNode();
    ArrayNode urls = body.putArray("peerURLs");
    peerUrls.forEach(u -> urls.add(u.toString()));
    RawResponse r =
        await(
            transport.send(
                "PUT", "/v2/members/" + encode(id), body.toString(), "application/json", true),
            true);
    if (r.status() == 404 || r.status() == 409) {
      throw new MembersException(r.status(), message(r));
    }
    expect(r, 204);
  }

  /**
   * Asks {@code clientUrl/health} once, without failover, bounded by the request timeout. Accepts
   * both of etcd's forms, {@code {"health":"true"}} and {@code {"health":true}}.
   *
   * @return whether the member said it is healthy
   * @throws RosterTransportException if it did not answer, or not with a health document
   */
  public boolean health(URI clientUrl) {
    CompletableFuture<HttpResponse<String>> f =
        transport.sendOnce(clientUrl, "/health", requestTimeout);
    HttpResponse<String> resp = await(f, false);
    JsonNode h;
    try {
      JsonNode root = Wire.json().readTree(resp.body());
      h = root == null ? null : root.get("health");
    } catch (JsonProcessingException e) {
      throw new RosterTransportException(
          clientUrl + "/health answered " + resp.statusCode() + " without JSON", e);
    }
    if (h == null || !(h.isTextual() || h.isBoolean())) {
      throw new RosterTransportException(
          clientUrl + "/health answered " + resp.statusCode() + " without a health field");
    }
    return h.isBoolean() ? h.asBoolean() : "true".equals(h.asText());
  }

  private static Member member(JsonNode m, RawResponse r) {
    if (!m.isObject() || !m.path("id").isTextual()) {
      throw new RosterTransportException(r.endpoint() + " sent a member without an id: " + m);
    }
    return new Member(
        m.path("id").asText(),
        m.path("name").asText(""),
        urls(m.path("peerURLs"), r),
        urls(m.path("clientURLs"), r));
  }

  private static List<URI> urls(JsonNode list, RawResponse r) {
    List<URI> out = new ArrayList<>();
    for (JsonNode u : list) {
      try {
        out.add(URI.create(u.asText("")));
      } catch (IllegalArgumentException e) {
        throw new RosterTransportException(r.endpoint() + " sent a bad URL: " + u, e);
      }
    }
    return out;
  }

  private static void expect(RawResponse r, int status) {
    if (r.status() != status) {
      throw unexpected(r);
    }
  }

  private static MembersException unexpected(RawResponse r) {
    return new MembersException(r.status(), "unexpected status code " + r.status());
  }

  private static String message(RawResponse r) {
    try {
      JsonNode root = Wire.json().readTree(r.body());
      JsonNode m = root == null ? null : root.get("message");
      if (m != null && m.isTextual()) {
        return m.asText();
      }
    } catch (JsonProcessingException e) {
      // fall through: no message to report
    }
    return "unexpected status code " + r.status();
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static <T> T await(CompletableFuture<T> f, boolean write) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw write
          ? new OutcomeUnknownException("interrupted while waiting for a members change", e)
          : new RosterTransportException("interrupted while waiting for a members read", e);
    } catch (ExecutionException e) {
      Throwable t = HttpTransport.unwrap(e);
      if (t instanceof RuntimeException) {
        throw (RuntimeException) t;
      }
      throw new RosterTransportException(t.toString(), t);
    }
  }
}
