package io.roster.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON bodies of {@code PUT /v2/auth/users/<u>} and {@code PUT /v2/auth/roles/<r>}, decoded the
 * way Go's {@code json.NewDecoder(r.Body).Decode(&v)} fills etcd's {@code v2auth.User} and {@code
 * v2auth.Role}, so that etcd's "Invalid JSON in request body." falls on the same inputs.
 *
 * <p>Go's rules kept here: only the first JSON value is read (trailing bytes are ignored); an empty
 * body is an error; a top-level {@code null} leaves every field empty; any other non-object is an
 * error. Object keys match struct fields case-insensitively (ASCII folding, plus U+017F for {@code
 * s} and U+212A for {@code k}, as Go's {@code foldFunc}); unknown keys are ignored; a later key
 * overwrites an earlier one. A {@code null} value leaves its field alone; a value of the wrong type
 * (a number for a string, an object for a list, a non-string list element other than {@code null})
 * is an error. Invalid UTF-8 in the body becomes U+FFFD first, as Go does inside strings.
 *
 * <p>Strings come back as Java strings; compare them with URL names through {@link #utf8Bytes}.
 */
final class AuthBody {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuthBody() {}

  /** etcd's {@code v2auth.User} as sent: the fields the handler looks at. */
  record User(
      String user, String password, List<String> roles, List<String> grant, List<String> revoke) {}

  /** etcd's {@code v2auth.Role} as sent; a null grant or revoke is an absent one. */
  record Role(
      String role,
      Permissions permissions,
      @Nullable Permissions grant,
      @Nullable Permissions revoke) {}

  /** {@code v2auth.Permissions} ({@code {"kv":{"read":[…],"write":[…]}}}). */
  record Permissions(List<String> read, List<String> write) {
    static final Permissions NONE = new Permissions(List.of(), List.of());

    /** Go's {@code Permissions.IsEmpty} on a non-nil value. */
    boolean isEmpty() {
      return read.isEmpty() && write.isEmpty();
    }
  }

  /** Thrown for any body Go would fail to decode. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid() {
      super(null, null, false, false);
    }
  }

  /** Decodes a user body (byte string). */
  static User user(@Nullable String body) throws Invalid {
    String user = "";
    String password = "";
    List<String> roles = List.of();
    List<String> grant = List.of();
    List<String> revoke = List.of();
    JsonNode root = parse(body);
    if (root != null) {
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        String k = e.getKey();
        JsonNode v = e.getValue();
        if (fold(k, "user")) {
          user = string(v, user);
        } else if (fold(k, "password")) {
          password = string(v, password);
        } else if (fold(k, "roles")) {
          roles = strings(v);
        } else if (fold(k, "grant")) {
          grant = strings(v);
        } else if (fold(k, "revoke")) {
          revoke = strings(v);
        }
      }
    }
    return new User(user, password, roles, grant, revoke);
  }

  /** Decodes a role body (byte string). */
  static Role role(@Nullable String body) throws Invalid {
    String role = "";
    Permissions permissions = Permissions.NONE;
    Permissions grant = null;
    Permissions revoke = null;
    JsonNode root = parse(body);
    if (root != null) {
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        String k = e.getKey();
        JsonNode v = e.getValue();
        if (fold(k, "role")) {
          role = string(v, role);
        } else if (fold(k, "permissions")) {
          permissions = permissions(v, permissions);
        } else if (fold(k, "grant")) {
          grant = v.isNull() ? null : permissions(v, grant == null ? Permissions.NONE : grant);
        } else if (fold(k, "revoke")) {
          revoke = v.isNull() ? null : permissions(v, revoke == null ? Permissions.NONE : revoke);
        }
      }
    }
    return new Role(role, permissions, grant, revoke);
  }

  /** The UTF-8 bytes of a decoded string as a byte string, to compare with a URL name. */
  static String utf8Bytes(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** The top-level object, or null for a JSON {@code null}. */
  private static @Nullable JsonNode parse(@Nullable String body) throws Invalid {
    String text = body == null ? "" : GoUtf8.decode(body);
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new Invalid();
    }
    if (root == null || root.isMissingNode()) {
      throw new Invalid();
    }
    if (root.isNull()) {
      return null;
    }
    if (!root.isObject()) {
      throw new Invalid();
    }
    return root;
  }

  private static Permissions permissions(JsonNode v, Permissions into) throws Invalid {
    if (v.isNull()) {
      return into;
    }
    if (!v.isObject()) {
      throw new Invalid();
    }
    Permissions p = into;
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!fold(e.getKey(), "kv")) {
        continue;
      }
      JsonNode kv = e.getValue();
      if (kv.isNull()) {
        continue;
      }
      if (!kv.isObject()) {
        throw new Invalid();
      }
      for (Map.Entry<String, JsonNode> f : kv.properties()) {
        if (fold(f.getKey(), "read")) {
          p = new Permissions(strings(f.getValue()), p.write());
        } else if (fold(f.getKey(), "write")) {
          p = new Permissions(p.read(), strings(f.getValue()));
        }
      }
    }
    return p;
  }

  private static String string(JsonNode v, String current) throws Invalid {
    if (v.isNull()) {
      return current;
    }
    if (!v.isTextual()) {
      throw new Invalid();
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode v) throws Invalid {
    if (v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new Invalid();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (item.isNull()) {
        out.add("");
      } else if (item.isTextual()) {
        out.add(item.asText());
      } else {
        throw new Invalid();
      }
    }
    return out;
  }

  /** Go's field-name folding against a lower-case ASCII field name. */
  static boolean fold(String key, String field) {
    if (key.length() != field.length()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char k = key.charAt(i);
      char f = field.charAt(i);
      if (k == f
          || (k >= 'A' && k <= 'Z' && k + ('a' - 'A') == f)
          || (f == 's' && k == '\u017f')
          || (f == 'k' && k == '\u212a')) {
        continue;
      }
      return false;
    }
    return true;
  }
}
