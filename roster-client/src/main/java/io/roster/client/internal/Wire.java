package io.roster.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roster.api.Action;
import io.roster.api.ErrorCode;
import io.roster.client.KeyResponse;
import io.roster.client.Node;
import io.roster.client.RosterException;
import io.roster.client.RosterTransportException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The etcd v2 wire format on the client side: keys and forms encoded as the Go client does, answers
 * decoded into {@link KeyResponse} or a typed error. Anything that is not the etcd v2 API becomes a
 * {@link RosterTransportException} naming the endpoint. Stateless.
 */
public final class Wire {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Wire() {}

  /** The shared Jackson mapper (thread-safe once configured). */
  public static ObjectMapper json() {
    return JSON;
  }

  /** {@code /v2/keys} plus the key with every segment percent-encoded; the key gets a leading /. */
  public static String keyPath(String key) {
    StringBuilder sb = new StringBuilder("/v2/keys");
    for (String seg : key.split("/", -1)) {
      if (!seg.isEmpty()) {
        sb.append('/').append(encode(seg));
      }
    }
    if (sb.length() == "/v2/keys".length()) {
      sb.append('/');
    }
    return sb.toString();
  }

  /** {@code application/x-www-form-urlencoded} (also used for query strings); "" for none. */
  public static String form(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach(
        (k, v) -> {
          if (sb.length() > 0) {
            sb.append('&');
          }
          sb.append(encode(k)).append('=').append(encode(v));
        });
    return sb.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Decodes an answer of the keys API.
   *
   * @throws RosterException for an etcd error body
   * @throws RosterTransportException for anything that is not the etcd v2 API
   */
  public static KeyResponse keyResponse(RawResponse r) {
    if (r.status() != 200 && r.status() != 201) {
      throw error(r);
    }
    JsonNode root = parse(r);
    return event(
        root,
        r.endpoint(),
        r.longHeader("X-Etcd-Index"),
        r.longHeader("X-Raft-Index"),
        r.longHeader("X-Raft-Term"));
  }

  /** Decodes an event body {@code {action, node, prevNode}}. */
  public static KeyResponse event(
      JsonNode root, URI endpoint, long etcdIndex, long raftIndex, long raftTerm) {
    JsonNode action = root.get("action");
    if (action == null || !action.isTextual()) {
      throw new RosterTransportException(
          endpoint + " answered without an action: not the etcd v2 keys API");
    }
    JsonNode node = root.get("node");
    JsonNode prev = root.get("prevNode");
    if (node == null || node.isNull()) {
      throw new RosterTransportException(endpoint + " answered without a node");
    }
    return new KeyResponse(
        action(action.asText(), endpoint),
        node(node, endpoint),
        prev == null || prev.isNull() ? null : node(prev, endpoint),
        etcdIndex,
        raftIndex,
        raftTerm);
  }

  /** The error an unsuccessful answer stands for: a typed etcd error, or a transport failure. */
  public static RuntimeException error(RawResponse r) {
    JsonNode root;
    try {
      root = JSON.readTree(r.body());
    } catch (JsonProcessingException e) {
      return notEtcd(r);
    }
    JsonNode code = root == null ? null : root.get("errorCode");
    if (code == null || !code.canConvertToInt()) {
      return notEtcd(r);
    }
    ErrorCode ec;
    try {
      ec = ErrorCode.of(code.asInt());
    } catch (IllegalArgumentException e) {
      return new RosterTransportException(
          r.endpoint()
              + " answered with unknown etcd error code "
              + code.asInt()
              + ": "
              + r.body());
    }
    JsonNode cause = root.get("cause");
    JsonNode index = root.get("index");
    return new RosterException(
        ec,
        cause == null || cause.asText().isEmpty() ? null : cause.asText(),
        index == null ? r.longHeader("X-Etcd-Index") : index.asLong());
  }

  private static RosterTransportException notEtcd(RawResponse r) {
    String body = r.body();
    return new RosterTransportException(
        r.endpoint()
            + " answered HTTP "
            + r.status()
            + " that is not an etcd v2 answer: "
            + (body.length() > 200 ? body.substring(0, 200) + "…" : body));
  }

  /** Parses a JSON object body or fails with a transport error naming the endpoint. */
  public static JsonNode parse(RawResponse r) {
    try {
      JsonNode root = JSON.readTree(r.body());
      if (root == null || !root.isObject()) {
        throw notEtcd(r);
      }
      return root;
    } catch (JsonProcessingException e) {
      throw notEtcd(r);
    }
  }

  /** Decodes a node object (with its children). */
  public static Node node(JsonNode n, URI endpoint) {
    if (!n.isObject()) {
      throw new RosterTransportException(endpoint + " sent a node that is not an object: " + n);
    }
    List<Node> children = new ArrayList<>();
    JsonNode nodes = n.get("nodes");
    if (nodes != null && nodes.isArray()) {
      for (JsonNode c : nodes) {
        children.add(node(c, endpoint));
      }
    }
    JsonNode value = n.get("value");
    JsonNode exp = n.get("expiration");
    Instant expiration = null;
    if (exp != null && exp.isTextual()) {
      try {
        expiration = Instant.parse(exp.asText());
      } catch (DateTimeParseException e) {
        throw new RosterTransportException(endpoint + " sent a bad expiration: " + exp, e);
      }
    }
    return new Node(
        n.path("key").asText(""),
        value == null || value.isNull() ? null : value.asText(),
        n.path("dir").asBoolean(false),
        expiration,
        n.path("ttl").asLong(0),
        n.path("modifiedIndex").asLong(0),
        n.path("createdIndex").asLong(0),
        children);
  }

  private static Action action(String wire, URI endpoint) {
    for (Action a : Action.values()) {
      if (a.wire().equals(wire)) {
        return a;
      }
    }
    throw new RosterTransportException(endpoint + " sent unknown action " + wire);
  }

  /** The {@code clientURLs} of every member in a {@code /v2/members} body. */
  public static List<URI> clientUrls(RawResponse r) {
    JsonNode members = parse(r).get("members");
    List<URI> out = new ArrayList<>();
    if (members != null && members.isArray()) {
      for (JsonNode m : members) {
        for (JsonNode u : m.path("clientURLs")) {
          @Nullable URI uri = uri(u.asText(""));
          if (uri != null) {
            out.add(uri);
          }
        }
      }
    }
    return out;
  }

  private static @Nullable URI uri(String s) {
    try {
      URI u = URI.create(s);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
          ? u
          : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
