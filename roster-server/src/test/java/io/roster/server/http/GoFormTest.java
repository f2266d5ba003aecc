package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoFormTest {

  @Test
  void parseQuery_skipsEmptyPairsAndKeepsOrder() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    assertThat(GoForm.parseQuery(m, "a=1&&b&a=2&=3")).isNull();
    assertThat(m)
        .containsExactly(
            Map.entry("a", List.of("1", "2")),
            Map.entry("b", List.of("")),
            Map.entry("", List.of("3")));
  }

  @Test
  void parseQuery_firstEscapeErrorKeptButSemicolonOverrides() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    assertThat(GoForm.parseQuery(m, "a=%zz&b=%yy&c=1")).isEqualTo("invalid URL escape \"%zz\"");
    assertThat(m).containsOnlyKeys("c");
    assertThat(GoForm.parseQuery(new LinkedHashMap<>(), "a=%zz&b;c"))
        .isEqualTo("invalid semicolon separator in query");
  }

  @Test
  void unescape_goErrorTextQuotesRawBytes() {
    assertThatThrownBy(() -> GoForm.unescape("%\u00e4\u00b8", true))
        .hasMessage("invalid URL escape \"%\\xe4\\xb8\"");
    assertThatThrownBy(() -> GoForm.unescape("x%4", true)).hasMessage("invalid URL escape \"%4\"");
    assertThatThrownBy(() -> GoForm.unescape("%\"1", true))
        .hasMessage("invalid URL escape \"%\\\"1\"");
  }

  @Test
  void unescape_plusOnlyInQueryMode() throws Exception {
    assertThat(GoForm.unescape("a+b%20", true)).isEqualTo("a b ");
    assertThat(GoForm.unescape("a+b%20", false)).isEqualTo("a+b ");
  }

  @Test
  void parseMediaType_goRules() {
    assertThat(GoForm.parseMediaType(null))
        .isEqualTo(new GoForm.MediaType("application/octet-stream", null));
    assertThat(GoForm.parseMediaType("Application/X-WWW-Form-URLEncoded; charset=utf-8").type())
        .isEqualTo("application/x-www-form-urlencoded");
    assertThat(GoForm.parseMediaType("text").error()).isNull();
    assertThat(GoForm.parseMediaType("text/plain;").error()).isNull();
    assertThat(GoForm.parseMediaType("text/plain; a=\"q;\\\"\"").error()).isNull();
    assertThat(GoForm.parseMediaType("text/plain; a=1; A=2").error())
        .isEqualTo("mime: duplicate parameter name");
    assertThat(GoForm.parseMediaType("text/plain x").error())
        .isEqualTo("mime: unexpected content after media subtype");
  }

  @Test
  void goUtf8_eachInvalidByteIsOneReplacement() {
    assertThat(GoUtf8.decode("\u00ff\u00fe")).isEqualTo("\ufffd\ufffd");
    assertThat(GoUtf8.decode("\u00e4\u00b8")).isEqualTo("\ufffd\ufffd");
    assertThat(GoUtf8.decode("\u00ed\u00a0\u0080")).isEqualTo("\ufffd\ufffd\ufffd");
    assertThat(GoUtf8.decode("\u00f0\u009f\u0098\u0080")).isEqualTo("\ud83d\ude00");
    assertThat(GoUtf8.decode("\u00c0\u0080")).isEqualTo("\ufffd\ufffd");
  }

  @Test
  void goStrconv_parseUint() {
    assertThat(GoStrconv.parseUint("18446744073709551615")).isEqualTo(-1L);
    assertThat(GoStrconv.parseUint("18446744073709551616")).isNull();
    assertThat(GoStrconv.parseUint("007")).isEqualTo(7L);
    assertThat(GoStrconv.parseUint("")).isNull();
    assertThat(GoStrconv.parseUint("1_0")).isNull();
  }
}
