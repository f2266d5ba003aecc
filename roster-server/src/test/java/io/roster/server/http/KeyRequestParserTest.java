package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.api.ErrorCode;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** etcd's validation order (§3.3), value syntax (§3.2) and parameter sources (§3.1, E20, E21). */
class KeyRequestParserTest {
  private static final String FORM = "application/x-www-form-urlencoded";

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        // #1 form parse errors
        row("GET", "a=%zz", null, 210, "invalid URL escape \"%zz\""),
        row("GET", "a=%z", null, 210, "invalid URL escape \"%z\""),
        row("GET", "a=%", null, 210, "invalid URL escape \"%\""),
        row("GET", "a=1;b=2", null, 210, "invalid semicolon separator in query"),
        row("GET", "%zz=1&a;b", null, 210, "invalid semicolon separator in query"),
        row("PUT", "", "value=%zz", 210, "invalid URL escape \"%zz\""),
        row("PUT", "a=%yy", "value=%zz", 210, "invalid URL escape \"%zz\""),
        // #2, #3 indices
        row("GET", "prevIndex=abc&waitIndex=abc", null, 203, "invalid value for \"prevIndex\""),
        row("GET", "prevIndex=", null, 203, "invalid value for \"prevIndex\""),
        row("GET", "prevIndex=-1", null, 203, "invalid value for \"prevIndex\""),
        row("GET", "prevIndex=%2B5", null, 203, "invalid value for \"prevIndex\""),
        row("GET", "prevIndex=18446744073709551616", null, 203, "invalid value for \"prevIndex\""),
        row("GET", "waitIndex=1.5&recursive=x", null, 203, "invalid value for \"waitIndex\""),
        // #4-#9 booleans, in order
        row("GET", "recursive=&sorted=x", null, 209, "invalid value for \"recursive\""),
        row("GET", "recursive=tRue", null, 209, "invalid value for \"recursive\""),
        row("GET", "sorted=yes&wait=x", null, 209, "invalid value for \"sorted\""),
        row("GET", "wait=x&dir=x", null, 209, "invalid value for \"wait\""),
        row("GET", "dir&quorum=x", null, 209, "invalid value for \"dir\""),
        row("GET", "quorum=x&stream=x", null, 209, "invalid value for \"quorum\""),
        row("GET", "stream=2", null, 209, "invalid value for \"stream\""),
        // #10 wait only with GET
        row("HEAD", "wait=true", null, 209, "\"wait\" can only be used with GET requests"),
        row(
            "PUT",
            "wait=true&prevValue=",
            null,
            209,
            "\"wait\" can only be used with GET requests"),
        // #11 prevValue
        row("PUT", "prevValue=&noValueOnSuccess=x", null, 201, "\"prevValue\" cannot be empty"),
        row("DELETE", "prevValue", null, 201, "\"prevValue\" cannot be empty"),
        // #12
        row("PUT", "noValueOnSuccess=x&ttl=x", null, 209, "invalid value for \"noValueOnSuccess\""),
        // #13 ttl
        row("PUT", "ttl=abc&prevExist=x", null, 202, "invalid value for \"ttl\""),
        row("PUT", "ttl=-1", null, 202, "invalid value for \"ttl\""),
        row("PUT", "ttl=18446744073709551615", null, 202, "invalid value for \"ttl\""),
        row("PUT", "ttl=4000000001", null, 202, "invalid value for \"ttl\""),
        // #14, #15 unquoted names
        row("PUT", "prevExist=&refresh=x", null, 209, "invalid value for prevExist"),
        row("PUT", "prevExist=yes", null, 209, "invalid value for prevExist"),
        row("PUT", "refresh=x", null, 209, "invalid value for refresh"),
        // #16, #17 refresh
        row("PUT", "refresh=true&value=x", null, 211, "A value was provided on a refresh"),
        row("PUT", "refresh=true", "value=x&ttl=5", 211, "A value was provided on a refresh"),
        row("PUT", "refresh=true", null, 212, "No TTL value set"),
        row("PUT", "refresh=true&ttl=", null, 212, "No TTL value set"),
        // the body's first value wins: a valid query value does not rescue a bad body value
        row("PUT", "ttl=5", "ttl=abc", 202, "invalid value for \"ttl\""),
        // the body's media type is part of the form parse
        rowCt("PUT", "", "value=1", "text/;x", 210, "mime: expected token after slash"),
        rowCt("PUT", "", "value=1", ";x=1", 210, "mime: no media type"),
        rowCt("PUT", "", "value=1", "a b", 210, "mime: expected slash after first token"),
        rowCt(
            "PUT",
            "",
            "value=1",
            "application/x-www-form-urlencoded; =x",
            210,
            "mime: invalid media parameter"));
  }

  private static Arguments row(
      String method, String query, @Nullable String body, int code, String cause) {
    return rowCt(method, query, body, FORM, code, cause);
  }

  private static Arguments rowCt(
      String method,
      String query,
      @Nullable String body,
      String contentType,
      int code,
      String cause) {
    return Arguments.of(method, query, body, contentType, code, cause);
  }

  @ParameterizedTest(name = "{0} ?{1} body={2} -> {4} {5}")
  @MethodSource("invalidRequests")
  void parse_firstFailingCheckWins(
      String method,
      String query,
      @Nullable String body,
      String contentType,
      int code,
      String cause) {
    KeyParse p = KeyRequestParser.parse(method, "/k", query, contentType, body);
    assertThat(p).isEqualTo(new KeyParse.Invalid(ErrorCode.of(code), cause));
  }

  private static KeyRequest valid(String method, String query, @Nullable String body) {
    KeyParse p = KeyRequestParser.parse(method, "/k", query, FORM, body);
    assertThat(p).isInstanceOf(KeyRequest.class);
    return (KeyRequest) p;
  }

  @Test
  void parse_bodyValueWinsOverQuery() {
    KeyRequest r = valid("PUT", "value=query&ttl=abc", "value=body&ttl=5");
    assertThat(r.value()).isEqualTo("body");
    assertThat(r.ttlSeconds()).isEqualTo(5L);
  }

  @Test
  void parse_firstRepeatedValueWins() {
    assertThat(valid("GET", "recursive=true&recursive=bogus", null).recursive()).isTrue();
  }

  @Test
  void parse_emptyTtlMeansNoTtl() {
    assertThat(valid("PUT", "ttl=", null).ttlSeconds()).isNull();
    assertThat(valid("PUT", "ttl=0", null).ttlSeconds()).isEqualTo(0L);
  }

  @Test
  void parse_goBoolLiterals() {
    for (String t : new String[] {"1", "t", "T", "TRUE", "true", "True"}) {
      assertThat(valid("GET", "recursive=" + t, null).recursive()).isTrue();
    }
    for (String f : new String[] {"0", "f", "F", "FALSE", "false", "False"}) {
      assertThat(valid("GET", "recursive=" + f, null).recursive()).isFalse();
    }
  }

  @Test
  void parse_plusIsSpaceInQueryAndBody() {
    assertThat(valid("PUT", "", "value=a+b%2B").value()).isEqualTo("a b+");
    assertThat(valid("PUT", "value=a+b", null).value()).isEqualTo("a b");
  }

  @Test
  void parse_bodyIgnoredForDelete() {
    // the connection never buffers it; the parser sees null
    KeyParse p = KeyRequestParser.parse("DELETE", "/k", "", FORM, null);
    assertThat(p).isInstanceOf(KeyRequest.class);
  }

  @Test
  void parse_mediaTypeErrorsIgnoredForGet() {
    assertThat(KeyRequestParser.parse("GET", "/k", "", "a b", null)).isInstanceOf(KeyRequest.class);
  }

  @Test
  void parse_hugeIndicesAreClamped() {
    assertThat(valid("GET", "waitIndex=18446744073709551615", null).waitIndex())
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void parse_keyIsCleanedAndDecoded() {
    assertThat(((KeyRequest) KeyRequestParser.parse("GET", "", "", null, null)).key())
        .isEqualTo("/");
    assertThat(((KeyRequest) KeyRequestParser.parse("GET", "/", "", null, null)).key())
        .isEqualTo("/");
    assertThat(((KeyRequest) KeyRequestParser.parse("GET", "/a/b/", "", null, null)).key())
        .isEqualTo("/a/b");
    assertThat(((KeyRequest) KeyRequestParser.parse("GET", "/\u00e4\u00b8", "", null, null)).key())
        .isEqualTo("/\ufffd\ufffd");
    assertThat(
            ((KeyRequest) KeyRequestParser.parse("GET", "/\u00e4\u00b8\u00ad", "", null, null))
                .key())
        .isEqualTo("/\u4e2d");
  }

  @Test
  void parse_prevValueAbsentIsNull() {
    assertThat(valid("PUT", "", null).prevValue()).isNull();
    assertThat(valid("PUT", "prevValue=x", null).prevValue()).isEqualTo("x");
  }

  @Test
  void parse_refreshWithEmptyValueIsAllowed() {
    KeyRequest r = valid("PUT", "refresh=true&ttl=5&value=", null);
    assertThat(r.refresh()).isTrue();
  }
}
