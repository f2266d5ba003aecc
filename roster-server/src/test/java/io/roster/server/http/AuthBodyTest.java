package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Go {@code encoding/json} decoding of etcd's auth bodies (bodies are byte strings). */
class AuthBodyTest {

  @Test
  void user_fieldsMatchCaseInsensitivelyLikeGo() throws Exception {
    AuthBody.User u =
        AuthBody.user("{\"USER\":\"a\",\"Password\":\"p\",\"rOLES\":[\"r\",null],\"x\":{}}");
    assertThat(u.user()).isEqualTo("a");
    assertThat(u.password()).isEqualTo("p");
    assertThat(u.roles()).containsExactly("r", "");
    assertThat(AuthBody.user(AuthBody.utf8Bytes("{\"u\u017fer\":\"b\"}")).user()).isEqualTo("b");
    assertThat(AuthBody.user(AuthBody.utf8Bytes("{\"us\u0131r\":\"b\"}")).user()).isEmpty();
    assertThat(
            AuthBody.role(AuthBody.utf8Bytes("{\"permissions\":{\"\u212aV\":{\"READ\":[\"/a\"]}}}"))
                .permissions()
                .read())
        .containsExactly("/a");
  }

  @Test
  void nullsAndTrailingBytes() throws Exception {
    assertThat(AuthBody.user("null").user()).isEmpty();
    assertThat(AuthBody.user("{\"user\":null,\"roles\":null}").roles()).isEmpty();
    assertThat(AuthBody.user("{\"user\":\"x\"} trailing garbage").user()).isEqualTo("x");
    assertThat(AuthBody.user("{\"user\":\"x\",\"user\":\"y\"}").user()).isEqualTo("y");
  }

  @Test
  void invalidBodies() {
    for (String body :
        new String[] {
          "",
          "  ",
          "{",
          "[]",
          "5",
          "\"s\"",
          "{\"user\":5}",
          "{\"roles\":\"r\"}",
          "{\"roles\":[1]}",
          "{\"grant\":{}}",
          "{'user':'x'}"
        }) {
      assertThatThrownBy(() -> AuthBody.user(body)).as(body).isInstanceOf(AuthBody.Invalid.class);
    }
    for (String body :
        new String[] {
          "{\"permissions\":5}",
          "{\"grant\":[]}",
          "{\"grant\":{\"kv\":[]}}",
          "{\"revoke\":{\"kv\":{\"read\":\"a\"}}}"
        }) {
      assertThatThrownBy(() -> AuthBody.role(body)).as(body).isInstanceOf(AuthBody.Invalid.class);
    }
  }

  @Test
  void role_grantAndRevokeAreAbsentUnlessGivenAndMergeAcrossKeys() throws Exception {
    AuthBody.Role r = AuthBody.role("{\"role\":\"r\",\"grant\":null}");
    assertThat(r.grant()).isNull();
    assertThat(r.revoke()).isNull();
    assertThat(r.permissions().isEmpty()).isTrue();
    AuthBody.Role g =
        AuthBody.role(
            "{\"role\":\"r\",\"grant\":{\"kv\":{\"read\":[\"/a\"]}},"
                + "\"Grant\":{\"kv\":{\"write\":[\"/b\"]}}}");
    assertThat(g.grant()).isEqualTo(new AuthBody.Permissions(List.of("/a"), List.of("/b")));
    assertThat(AuthBody.role("{\"role\":\"r\",\"revoke\":{}}").revoke())
        .isEqualTo(AuthBody.Permissions.NONE);
  }

  @Test
  void invalidUtf8BecomesReplacementCharacter() throws Exception {
    assertThat(AuthBody.user("{\"user\":\"\u00ff\"}").user()).isEqualTo("\ufffd");
    assertThat(AuthBody.utf8Bytes("\ufffd")).isEqualTo("\u00ef\u00bf\u00bd");
  }
}
