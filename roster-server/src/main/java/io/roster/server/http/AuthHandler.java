package io.roster.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code /v2/auth/*}: etcd's v2 auth API ({@code v2http/client_auth.go} over {@code
 * v2auth/auth.go}) exactly as etcd answers it on a cluster where auth has never been set up: no
 * users, no roles but the built-in {@code root}, auth disabled.
 *
 * <p><b>Routes and checks</b>, in etcd's order. {@code /v2/auth/enable}, {@code /v2/auth/users[/]}
 * and {@code /v2/auth/roles[/]} are the collections (GET only, 405 {@code Allow: GET}; enable
 * allows {@code GET,PUT,DELETE}). Below the collections, the part after {@code /v2/auth} is cleaned
 * (a trailing slash dropped) and must have exactly one more segment, else 400 {@code {"message":
 * "Invalid path"}} without the cluster id, whatever the method; then {@code GET,PUT,DELETE} or 405.
 * Everything past the method check carries {@code X-Etcd-Cluster-Id}. Success bodies come from
 * {@code json.Encoder} (trailing newline), error bodies from {@code json.Marshal} (none), names in
 * them Go-escaped with invalid UTF-8 as U+FFFD.
 *
 * <p><b>Answers of a fresh cluster.</b> {@code GET enable} {@code {"enabled":false}}; {@code GET
 * users} {@code {"users":null}}; {@code GET roles} the root role only; {@code GET roles/root} the
 * root role ({@code /*} read and write); any other user or role 404 {@code auth: User u does not
 * exist.} / {@code auth: Role r does not exist.}. The collections parse the query like Go's {@code
 * ParseForm} and answer a malformed one with 500 {@code Internal Server Error}, as etcd does.
 *
 * <p><b>Mutations.</b> Roster does not keep auth state yet (a later issue: users, roles and the
 * enabled flag replicated under etcd's {@code /2} namespace, plus the key access checks). Until
 * then every mutation gets the answer etcd itself gives on a fresh cluster whenever that answer
 * does not depend on state Roster would have to create: enabling is 409 {@code auth: No root user
 * available, please create one}, disabling 409 {@code auth: already disabled}; deleting a user 404
 * {@code auth: User u does not exist} (no full stop, as etcd writes it), deleting a role 404 {@code
 * auth: Role r doesn't exist.}, deleting or changing {@code root} 403 {@code auth: Cannot modify
 * role root: is root role.}; a body that does not decode ({@link AuthBody}) 400 {@code Invalid JSON
 * in request body.}; a name that differs from the URL's 400; creating a user without a password
 * 400; granting to or revoking from a user or role (none exist) 404; mixing {@code roles} with
 * {@code grant}/{@code revoke} or {@code permissions} with {@code grant}/{@code revoke} 400. What
 * etcd would carry out — creating a user with a password, creating a role — is answered 501 {@code
 * {"message":"auth: not supported by this Roster version"}} with the cluster id.
 *
 * <p>Thread-safe; never blocks.
 */
final class AuthHandler {
  static final String NOT_SUPPORTED = "auth: not supported by this Roster version";
  private static final String ROOT_ROLE =
      "{\"role\":\"root\",\"permissions\":{\"kv\":{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}";
  private static final String ROOT_FORBIDDEN = "auth: Cannot modify role root: is root role.";
  private static final String BAD_JSON = "Invalid JSON in request body.";
  private static final String ANY = "GET,PUT,DELETE";

  private final ClusterView cluster;

  AuthHandler(ClusterView cluster) {
    this.cluster = cluster;
  }

  /** Whether etcd reads the request body: PUT of one user or role. {@code path} is clean. */
  static boolean readsBody(String method, String path) {
    if (!method.equals("PUT")) {
      return false;
    }
    String name = name(path, "/v2/auth/users/");
    if (name == null) {
      name = name(path, "/v2/auth/roles/");
    }
    return name != null && !name.isEmpty() && name.indexOf('/') < 0;
  }

  /** Answers a request whose clean path {@link Router} routed here. */
  void handle(Exchange ex, String path) {
    if (path.equals("/v2/auth/enable")) {
      enable(ex);
      return;
    }
    String user = name(path, "/v2/auth/users/");
    String role = name(path, "/v2/auth/roles/");
    String name = user != null ? user : role;
    if (name == null || name.isEmpty()) {
      collection(ex, path.startsWith("/v2/auth/users"));
    } else if (name.indexOf('/') >= 0) {
      Responses.message(ex, HttpResponseStatus.BAD_REQUEST, "Invalid path", null);
    } else if (allowed(ex, ANY)) {
      if (user != null) {
        user(ex, name);
      } else {
        role(ex, name);
      }
    }
  }

  private void enable(Exchange ex) {
    if (!allowed(ex, ANY)) {
      return;
    }
    switch (ex.method()) {
      case "GET" -> ok(ex, HttpResponseStatus.OK, "{\"enabled\":false}");
      case "PUT" ->
          error(ex, HttpResponseStatus.CONFLICT, "auth: No root user available, please create one");
      default -> error(ex, HttpResponseStatus.CONFLICT, "auth: already disabled");
    }
  }

  private void collection(Exchange ex, boolean users) {
    if (!allowed(ex, "GET")) {
      return;
    }
    if (GoForm.parseQuery(new LinkedHashMap<>(), ex.rawQuery()) != null) {
      error(ex, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error");
    } else if (users) {
      ok(ex, HttpResponseStatus.OK, "{\"users\":null}");
    } else {
      ok(ex, HttpResponseStatus.OK, "{\"roles\":[" + ROOT_ROLE + "]}");
    }
  }

  private void user(Exchange ex, String name) {
    String shown = GoUtf8.decode(name);
    switch (ex.method()) {
      case "GET" ->
          error(ex, HttpResponseStatus.NOT_FOUND, "auth: User " + shown + " does not exist.");
      case "DELETE" ->
          error(ex, HttpResponseStatus.NOT_FOUND, "auth: User " + shown + " does not exist");
      default -> {
        AuthBody.User u;
        try {
          u = AuthBody.user(bodyOrInvalid(ex));
        } catch (AuthBody.Invalid e) {
          error(ex, HttpResponseStatus.BAD_REQUEST, BAD_JSON);
          return;
        }
        if (!AuthBody.utf8Bytes(u.user()).equals(name)) {
          error(
              ex,
              HttpResponseStatus.BAD_REQUEST,
              "User JSON name does not match the name in the URL");
        } else if (u.grant().isEmpty() && u.revoke().isEmpty()) {
          if (u.password().isEmpty()) {
            error(
                ex,
                HttpResponseStatus.BAD_REQUEST,
                "auth: Cannot create user " + u.user() + " with an empty password");
          } else {
            error(ex, HttpResponseStatus.NOT_IMPLEMENTED, NOT_SUPPORTED);
          }
        } else if (!u.roles().isEmpty()) {
          error(
              ex, HttpResponseStatus.BAD_REQUEST, "User JSON contains both roles and grant/revoke");
        } else {
          error(ex, HttpResponseStatus.NOT_FOUND, "auth: User " + shown + " does not exist.");
        }
      }
    }
  }

  private void role(Exchange ex, String name) {
    String shown = GoUtf8.decode(name);
    boolean root = name.equals("root");
    switch (ex.method()) {
      case "GET" -> {
        if (root) {
          ok(ex, HttpResponseStatus.OK, ROOT_ROLE);
        } else {
          error(ex, HttpResponseStatus.NOT_FOUND, "auth: Role " + shown + " does not exist.");
        }
      }
      case "DELETE" -> {
        if (root) {
          error(ex, HttpResponseStatus.FORBIDDEN, ROOT_FORBIDDEN);
        } else {
          error(ex, HttpResponseStatus.NOT_FOUND, "auth: Role " + shown + " doesn't exist.");
        }
      }
      default -> {
        AuthBody.Role r;
        try {
          r = AuthBody.role(bodyOrInvalid(ex));
        } catch (AuthBody.Invalid e) {
          error(ex, HttpResponseStatus.BAD_REQUEST, BAD_JSON);
          return;
        }
        boolean grantEmpty = r.grant() == null || r.grant().isEmpty();
        boolean revokeEmpty = r.revoke() == null || r.revoke().isEmpty();
        if (!AuthBody.utf8Bytes(r.role()).equals(name)) {
          error(
              ex,
              HttpResponseStatus.BAD_REQUEST,
              "Role JSON name does not match the name in the URL");
        } else if (grantEmpty && revokeEmpty) {
          error(
              ex,
              root ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.NOT_IMPLEMENTED,
              root ? ROOT_FORBIDDEN : NOT_SUPPORTED);
        } else if (!r.permissions().isEmpty()) {
          error(
              ex,
              HttpResponseStatus.BAD_REQUEST,
              "Role JSON contains both permissions and grant/revoke");
        } else if (root) {
          error(ex, HttpResponseStatus.FORBIDDEN, ROOT_FORBIDDEN);
        } else {
          error(ex, HttpResponseStatus.NOT_FOUND, "auth: Role " + shown + " does not exist.");
        }
      }
    }
  }

  /** The body, or {@link AuthBody.Invalid} when it could not be read (chunked framing). */
  private static String bodyOrInvalid(Exchange ex) throws AuthBody.Invalid {
    if (ex.bodyError() != null) {
      throw new AuthBody.Invalid();
    }
    String body = ex.body();
    return body == null ? "" : body;
  }

  /** etcd's {@code allowMethod}: 405 with {@code Allow} and without the cluster id. */
  private static boolean allowed(Exchange ex, String methods) {
    for (String m : methods.split(",")) {
      if (m.equals(ex.method())) {
        return true;
      }
    }
    Responses.methodNotAllowed(ex, methods, ex.headers());
    return false;
  }

  private void ok(Exchange ex, HttpResponseStatus status, String json) {
    HttpHeaders h = ex.headers();
    h.set("Content-Type", Responses.JSON);
    h.set("X-Etcd-Cluster-Id", cluster.clusterId());
    ex.send(status, h, (json + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private void error(Exchange ex, HttpResponseStatus status, String message) {
    Responses.message(ex, status, message, cluster.clusterId());
  }

  /** The rest of {@code path} after {@code prefix} without one trailing slash, or null. */
  private static @Nullable String name(String path, String prefix) {
    if (!path.startsWith(prefix)) {
      return null;
    }
    String rest = path.substring(prefix.length());
    return rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
  }
}
