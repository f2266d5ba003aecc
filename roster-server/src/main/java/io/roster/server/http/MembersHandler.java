package io.roster.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.roster.server.raft.Command;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code /v2/members[/…]} and {@code /v2/machines} (etcd {@code membersHandler}, {@code
 * machinesHandler}).
 *
 * <p>GET: the member list ({@code {"members":[…]}}), {@code /leader} (503 {@code During election}
 * without one), anything else 404 {@code Not found}. POST adds a member (201 with the new member,
 * its id computed from its peer URLs and the cluster token as etcd computes a founding member's),
 * DELETE removes one (204), PUT replaces its peer URLs (204). Request checks happen here, as in
 * etcd: 405 for PUT/DELETE without an id, 404 {@code No such member: <id>} for an id that is not a
 * uint64 in hex, 415 for a non-JSON body, 400 for a malformed body or URL. Whether the change
 * applies — 404 {@code No such member}, 410 {@code Member permanently removed}, 409 {@code
 * membership: peerURL exists} or {@code ID exists} — is decided when the replicated registry
 * applies it, so concurrent changes on different members cannot both win. A change that cannot be
 * committed in time is 500 {@code Internal Server Error}, as etcd answers. Thread-safe.
 */
final class MembersHandler {
  private static final String INTERNAL = "Internal Server Error";

  private final ClusterView cluster;
  private final ObjectMapper json = new ObjectMapper();

  MembersHandler(ClusterView cluster) {
    this.cluster = cluster;
  }

  /** {@code /v2/members} and below; {@code path} is clean. */
  void handleMembers(Exchange ex, String path) {
    String method = ex.method();
    switch (method) {
      case "GET", "POST", "DELETE", "PUT" -> {}
      default -> {
        Responses.methodNotAllowed(ex, "GET,POST,DELETE,PUT", ex.headers());
        return;
      }
    }
    String rest = path.substring("/v2/members".length());
    if (rest.startsWith("/")) {
      rest = rest.substring(1);
    }
    String id = cluster.clusterId();
    switch (method) {
      case "GET" -> {
        if (rest.isEmpty()) {
          JsonText j = new JsonText().beginObject().name("members").beginArray();
          for (ClusterView.Member m : cluster.members()) {
            member(j, m);
          }
          send(ex, j.endArray().endObject().toBytes(true));
        } else if (rest.equals("leader")) {
          Optional<ClusterView.Member> leader = cluster.leader();
          if (leader.isEmpty()) {
            Responses.message(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "During election", id);
          } else {
            send(ex, member(new JsonText(), leader.get()).toBytes(true));
          }
        } else {
          Responses.message(ex, HttpResponseStatus.NOT_FOUND, "Not found", id);
        }
      }
      case "POST" -> {
        List<String> urls = peerUrls(ex);
        if (urls != null) {
          change(ex, new Command.AddMember(cluster.newMemberId(urls), urls));
        }
      }
      default -> {
        if (rest.isEmpty()) {
          HttpHeaders h = ex.headers();
          h.set("X-Etcd-Cluster-Id", id);
          Responses.methodNotAllowed(ex, null, h);
          return;
        }
        String shown = shownId(rest);
        if (shown == null) {
          Responses.message(ex, HttpResponseStatus.NOT_FOUND, "No such member: " + rest, id);
          return;
        }
        long memberId = Long.parseUnsignedLong(shown, 16);
        if (method.equals("PUT")) {
          List<String> urls = peerUrls(ex);
          if (urls != null) {
            change(ex, new Command.UpdateMember(memberId, urls));
          }
        } else {
          change(ex, new Command.RemoveMember(memberId));
        }
      }
    }
  }

  /** {@code /v2/machines}: client URLs of all members, {@code ", "}-joined, text/plain. */
  void handleMachines(Exchange ex) {
    String method = ex.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      Responses.methodNotAllowed(ex, "GET,HEAD", ex.headers());
      return;
    }
    List<String> urls = new ArrayList<>();
    for (ClusterView.Member m : cluster.members()) {
      urls.addAll(m.clientUrls());
    }
    HttpHeaders h = ex.headers();
    h.set("Content-Type", Responses.TEXT);
    ex.send(HttpResponseStatus.OK, h, String.join(", ", urls).getBytes(StandardCharsets.UTF_8));
  }

  private void send(Exchange ex, byte[] body) {
    HttpHeaders h = ex.headers();
    h.set("Content-Type", Responses.JSON);
    h.set("X-Etcd-Cluster-Id", cluster.clusterId());
    ex.send(HttpResponseStatus.OK, h, body);
  }

  private static JsonText member(JsonText j, ClusterView.Member m) {
    return j.beginObject()
        .field("id", m.id())
        .field("name", m.name())
        .field("peerURLs", m.peerUrls())
        .field("clientURLs", m.clientUrls())
        .endObject();
  }

  private void change(Exchange ex, Command.MemberCommand command) {
    cluster
        .changeMembers(command)
        .whenComplete(
            (reply, error) -> {
              String id = cluster.clusterId();
              if (error != null) {
                Responses.message(ex, HttpResponseStatus.INTERNAL_SERVER_ERROR, INTERNAL, id);
                return;
              }
              HttpHeaders h = ex.headers();
              h.set("X-Etcd-Cluster-Id", id);
              if (reply.body().length > 0) {
                h.set("Content-Type", Responses.JSON);
              }
              ex.send(HttpResponseStatus.valueOf(reply.httpStatus()), h, reply.body());
            });
  }

  /** The id as etcd prints it (hex, no leading zeros), or null when it is not a uint64 in hex. */
  private static @Nullable String shownId(String text) {
    if (text.isEmpty()) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return null;
      }
    }
    try {
      return Long.toHexString(Long.parseUnsignedLong(text, 16));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Checks content type and body like etcd's {@code unmarshalRequest}; null once answered. */
  private @Nullable List<String> peerUrls(Exchange ex) {
    String id = cluster.clusterId();
    String ct = ex.requestHeaders().get("Content-Type");
    String raw = ct == null ? "" : ct;
    GoForm.MediaType type = raw.isEmpty() ? null : GoForm.parseMediaType(raw);
    if (type == null || type.error() != null || !type.type().equals("application/json")) {
      Responses.message(
          ex,
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "Bad Content-Type " + raw + ", accept application/json",
          id);
      return null;
    }
    String bodyError = ex.bodyError();
    if (bodyError != null) {
      Responses.message(ex, HttpResponseStatus.BAD_REQUEST, bodyError, id);
      return null;
    }
    String body = ex.body();
    String text = body == null ? "" : GoUtf8.decode(body);
    List<String> urls = new ArrayList<>();
    try {
      if (text.isBlank()) {
        throw new BadRequest("unexpected end of JSON input");
      }
      JsonNode node = json.readTree(text);
      JsonNode list = node == null ? null : node.get("peerURLs");
      if (list != null && list.isArray()) {
        for (JsonNode u : list) {
          if (!u.isTextual()) {
            throw new BadRequest(
                "json: cannot unmarshal " + u.getNodeType().name().toLowerCase() + " into string");
          }
          urls.add(checkUrl(u.asText().strip()));
        }
      }
      if (urls.isEmpty()) {
        throw new BadRequest("no valid URLs given");
      }
      return urls;
    } catch (JsonProcessingException e) {
      Responses.message(ex, HttpResponseStatus.BAD_REQUEST, e.getOriginalMessage(), id);
    } catch (BadRequest e) {
      Responses.message(ex, HttpResponseStatus.BAD_REQUEST, e.getMessage(), id);
    }
    return null;
  }

  private static String checkUrl(String in) throws BadRequest {
    URI u;
    try {
      u = new URI(in);
    } catch (URISyntaxException e) {
      throw new BadRequest("parse \"" + in + "\": invalid URL");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme();
    switch (scheme) {
      case "http", "https" -> {
        if (u.getHost() == null || u.getPort() < 0) {
          throw new BadRequest("URL address does not have the form \"host:port\": " + in);
        }
        String p = u.getRawPath();
        if (p != null && !p.isEmpty()) {
          throw new BadRequest("URL must not contain a path: " + in);
        }
      }
      case "unix", "unixs" -> {}
      default -> throw new BadRequest("URL scheme must be http, https, unix, or unixs: " + in);
    }
    return in;
  }

  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }

    @Override
    public String getMessage() {
      String m = super.getMessage();
      return m == null ? "" : m;
    }
  }
}
