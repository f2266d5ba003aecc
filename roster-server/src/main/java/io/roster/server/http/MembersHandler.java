package io.roster.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
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
 * <p>GET is complete: the member list ({@code {"members":[…]}}), {@code /leader} (503 {@code During
 * election} without one), anything else 404 {@code Not found}. Runtime membership changes are not
 * implemented yet, so POST, PUT and DELETE go through etcd's checks and error answers — 405 for
 * PUT/DELETE without an id, 404 {@code No such member: <id>} for an id that does not parse as hex
 * or is not a member, 415 for a non-JSON body, 400 for a malformed body or URL, 409 {@code
 * membership: peerURL exists} — and a change that etcd would carry out is answered 500 {@code
 * {"message":"membership changes are not supported yet"}}. Thread-safe.
 */
final class MembersHandler {
  private static final String NOT_SUPPORTED = "membership changes are not supported yet";

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
          conflictOrUnsupported(ex, urls, null);
        }
      }
      default -> {
        if (rest.isEmpty()) {
          HttpHeaders h = ex.headers();
          h.set("X-Etcd-Cluster-Id", id);
          Responses.methodNotAllowed(ex, null, h);
          return;
        }
        ClusterView.Member target = memberById(rest);
        String shown = shownId(rest);
        if (shown == null) {
          Responses.message(ex, HttpResponseStatus.NOT_FOUND, "No such member: " + rest, id);
          return;
        }
        if (method.equals("PUT")) {
          List<String> urls = peerUrls(ex);
          if (urls == null) {
            return;
          }
          if (target == null) {
            Responses.message(ex, HttpResponseStatus.NOT_FOUND, "No such member: " + shown, id);
            return;
          }
          conflictOrUnsupported(ex, urls, target);
        } else if (target == null) {
          Responses.message(ex, HttpResponseStatus.NOT_FOUND, "No such member: " + shown, id);
        } else {
          Responses.message(ex, HttpResponseStatus.INTERNAL_SERVER_ERROR, NOT_SUPPORTED, id);
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

  private void conflictOrUnsupported(
      Exchange ex, List<String> urls, ClusterView.@Nullable Member self) {
    String id = cluster.clusterId();
    for (ClusterView.Member m : cluster.members()) {
      if (self != null && m.id().equals(self.id())) {
        continue;
      }
      for (String u : urls) {
        if (m.peerUrls().contains(u)) {
          Responses.message(ex, HttpResponseStatus.CONFLICT, "membership: peerURL exists", id);
          return;
        }
      }
    }
    Responses.message(ex, HttpResponseStatus.INTERNAL_SERVER_ERROR, NOT_SUPPORTED, id);
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

  private ClusterView.@Nullable Member memberById(String text) {
    String shown = shownId(text);
    if (shown == null) {
      return null;
    }
    for (ClusterView.Member m : cluster.members()) {
      if (m.id().equals(shown)) {
        return m;
      }
    }
    return null;
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
