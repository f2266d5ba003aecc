package io.roster.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Go 1.19's chunked body rules, byte by byte (error texts as etcd 3.4.23 reports them). */
class GoChunkedReaderTest {

  /** What a run produced: the data, the failure text if any, and the input left unread. */
  record Run(String data, boolean finished, @Nullable String error, String rest) {}

  /** Feeds {@code input} in pieces of {@code step} bytes, as a decoder would see it arrive. */
  static Run run(String input, int step, int maxContent) {
    GoChunkedReader reader = new GoChunkedReader(maxContent);
    ByteBuf in = Unpooled.buffer();
    StringBuilder data = new StringBuilder();
    String error = null;
    int fed = 0;
    while (!reader.finished() && fed < input.length()) {
      int n = Math.min(step, input.length() - fed);
      in.writeBytes(input.substring(fed, fed + n).getBytes(StandardCharsets.ISO_8859_1));
      fed += n;
      List<Object> out = new ArrayList<>();
      reader.decode(in, out);
      for (Object o : out) {
        HttpContent c = (HttpContent) o;
        assertThat(c.content().readableBytes()).isLessThanOrEqualTo(maxContent);
        data.append(c.content().toString(StandardCharsets.ISO_8859_1));
        if (c.decoderResult().isFailure()) {
          error = c.decoderResult().cause().getMessage();
          assertThat(c).isInstanceOf(LastHttpContent.class);
        }
        c.release();
      }
    }
    String rest = in.toString(StandardCharsets.ISO_8859_1) + input.substring(fed);
    in.release();
    return new Run(data.toString(), reader.finished(), error, rest);
  }

  private static void assertOk(String input, String data, String rest) {
    for (int step : new int[] {1, 2, 3, 7, 1 << 16}) {
      Run r = run(input, step, 4);
      assertThat(r.error()).as("step %d", step).isNull();
      assertThat(r.finished()).as("step %d", step).isTrue();
      assertThat(r.data()).as("step %d", step).isEqualTo(data);
      assertThat(r.rest()).as("step %d", step).isEqualTo(rest);
    }
  }

  private static void assertFails(String input, String error) {
    for (int step : new int[] {1, 5, 1 << 16}) {
      Run r = run(input, step, 8192);
      assertThat(r.error()).as("step %d", step).isEqualTo(error);
    }
  }

  @Test
  void wellFormed_dataJoinedAndNextRequestLeftUnread() {
    assertOk("3\r\nabc\r\na\r\n0123456789\r\n0\r\n\r\nGET /", "abc0123456789", "GET /");
  }

  @Test
  void extensionsTrailingWhitespaceLfLinesAndUpperHex_areAccepted() {
    assertOk("3;x=\"y\"\r\nabc\r\nA \t\r\n0123456789\r\n0\n\r\nNEXT", "abc0123456789", "NEXT");
    assertOk("0000000000000003\r\nabc\r\n0\r\n\r\n", "abc", "");
  }

  @Test
  void emptySizeLine_isTheLastChunk() {
    assertOk("\r\n\r\nNEXT", "", "NEXT");
  }

  @Test
  void trailers_areParsedAndDropped_endingAtTheFirstEmptyLine() {
    assertOk("1\r\na\r\n0\r\nA: 1\r\nB: 2\r\n  continued\r\n\r\nNEXT", "a", "NEXT");
  }

  @Test
  void sizeErrors() {
    assertFails("zz\r\n", "invalid byte in chunk length");
    assertFails(" 1\r\na\r\n", "invalid byte in chunk length");
    assertFails("1 ;x\r\na\r\n", "invalid byte in chunk length");
    assertFails("-1\r\n", "invalid byte in chunk length");
    assertFails("1g\r\n", "invalid byte in chunk length");
    assertFails("00000000000000001\r\n", "http chunk length too large");
    assertFails("0000000000000000z\r\n", "invalid byte in chunk length");
  }

  @Test
  void sizeLine_mustBeShorterThan4096BytesWithItsNewline() {
    assertFails("1;" + "e".repeat(4092) + "\r\n", "header line too long");
    assertFails("1;" + "e".repeat(5000), "header line too long");
    assertOk("1;" + "e".repeat(4091) + "\r\na\r\n0\r\n\r\n", "a", "");
  }

  @Test
  void dataMustEndWithCrLf() {
    assertFails("1\r\nab\r\n0\r\n\r\n", "malformed chunked encoding");
    assertFails("1\r\na\n0\r\n\r\n", "malformed chunked encoding");
  }

  @Test
  void trailerErrors() {
    assertFails(
        "0\r\nbad trailer\r\n\r\n", "malformed MIME header: missing colon: \"bad trailer\"");
    assertFails(
        "0\r\nA: 1\r\nbad\u00ff\r\n\r\n", "malformed MIME header: missing colon: \"bad\\xff\"");
    assertFails("0\r\n x: y\r\n\r\n", "malformed MIME header initial line:  x: y");
  }

  @Test
  void trailer_mustEndWithin4096Bytes() {
    String fits = "X: " + "t".repeat(4096 - 7) + "\r\n\r\n";
    assertOk("0\r\n" + fits + "NEXT", "", "NEXT");
    String over = "X: " + "t".repeat(4097 - 7) + "\r\n\r\n";
    assertFails("0\r\n" + over, "http: suspiciously long trailer after chunked body");
  }

  @Test
  void incompleteBody_waitsForMore() {
    Run r = run("5\r\nab", 1, 8192);
    assertThat(r.finished()).isFalse();
    assertThat(r.data()).isEqualTo("ab");
    assertThat(r.error()).isNull();
  }

  @Test
  void afterFailure_everythingIsSwallowed() {
    GoChunkedReader reader = new GoChunkedReader(8192);
    ByteBuf in = Unpooled.copiedBuffer("zz\r\nGET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII);
    List<Object> out = new ArrayList<>();
    reader.decode(in, out);
    assertThat(reader.failed()).isTrue();
    assertThat(in.readableBytes()).isZero();
    in.writeBytes("more".getBytes(StandardCharsets.US_ASCII));
    reader.decode(in, out);
    assertThat(in.readableBytes()).isZero();
    assertThat(out).hasSize(1);
    in.release();
  }
}
