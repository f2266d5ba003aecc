package io.roster.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonWriterTest {

  private static String render(String s) {
    return new String(new JsonWriter().value(s).toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void value_plainAsciiUnchanged() {
    assertThat(render("Hello world")).isEqualTo("\"Hello world\"");
  }

  @Test
  void value_emptyString() {
    assertThat(render("")).isEqualTo("\"\"");
  }

  @Test
  void value_htmlCharactersEscapedLikeGo() {
    assertThat(render("<&>")).isEqualTo("\"\\u003c\\u0026\\u003e\"");
  }

  @Test
  void value_quoteAndBackslash() {
    assertThat(render("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
  }

  @Test
  void value_shortControlEscapes() {
    assertThat(render("\n\r\t")).isEqualTo("\"\\n\\r\\t\"");
  }

  /** Observed on etcd 3.4.23 (Go 1.19): {@code a\u0008b\u000cc\u0001d<DEL>e\u001f}. */
  @Test
  void value_otherControlsAsLowercaseHexLikeGo119() {
    assertThat(render("a\bb\fc\u0001d\u007fe\u001f"))
        .isEqualTo("\"a\\u0008b\\u000cc\\u0001d\u007fe\\u001f\"");
  }

  @Test
  void value_nulByte() {
    assertThat(render("\0")).isEqualTo("\"\\u0000\"");
  }

  @Test
  void value_lineAndParagraphSeparatorsEscaped() {
    assertThat(render("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
  }

  /** E25: binary bytes arrive as U+FFFD and must read back as the escape. */
  @Test
  void value_replacementCharacterEscaped() {
    assertThat(render("\ufffd\ufffd")).isEqualTo("\"\\ufffd\\ufffd\"");
  }

  @Test
  void value_loneSurrogatesBecomeReplacementEscape() {
    assertThat(render("a\ud800b\udc00")).isEqualTo("\"a\\ufffdb\\ufffd\"");
    assertThat(render("\ud83d")).isEqualTo("\"\\ufffd\"");
  }

  @Test
  void value_multibyteWrittenAsRawUtf8() {
    byte[] bytes = new JsonWriter().value("é中😀").toByteArray();
    assertThat(bytes).isEqualTo("\"é中😀\"".getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource({"0,0", "9,9", "-1,-1", "9223372036854775807,9223372036854775807"})
  void value_numbers(long in, String out) {
    assertThat(new String(new JsonWriter().value(in).toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo(out);
  }

  @Test
  void unsignedValue_negativeIsPrintedAsUint64() {
    assertThat(new String(new JsonWriter().unsignedValue(-1).toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("18446744073709551615");
  }

  @Test
  void objectsAndArrays_commasOnlyBetweenMembers() {
    JsonWriter w = new JsonWriter(16);
    w.beginObject().name("a").value(1).name("b").beginArray();
    w.beginObject().name("x").value(true).endObject();
    w.beginObject().endObject();
    w.value("s").endArray().name("c").beginObject().endObject().endObject().newline();
    assertThat(new String(w.toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":1,\"b\":[{\"x\":true},{},\"s\"],\"c\":{}}\n");
  }

  @Test
  void value_longStringGrowsBuffer() {
    String big = "x".repeat(100_000) + "<";
    assertThat(render(big)).hasSize(100_000 + 6 + 2).endsWith("\\u003c\"");
  }

  @Test
  void nesting_deeperThanInitialStack() {
    JsonWriter w = new JsonWriter();
    for (int i = 0; i < 40; i++) {
      w.beginArray();
    }
    for (int i = 0; i < 40; i++) {
      w.endArray();
    }
    assertThat(new String(w.toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("[".repeat(40) + "]".repeat(40));
  }
}
