package io.roster.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandCodecTest {

  private static final List<Command> EVERY_KIND =
      List.of(
          new Command.Set("/a", false, "v", 5L, false),
          new Command.Set("/d", true, "", null, true),
          new Command.Create("/q", false, "job", true, null),
          new Command.Create("/c", true, "", false, 0L),
          new Command.Update("/a", "", 10L, true),
          new Command.CompareAndSwap("/a", "old", 7, "new", null, false),
          new Command.CompareAndSwap("/a", null, 0, "x", Long.MAX_VALUE, true),
          new Command.Delete("/d", true, true),
          new Command.CompareAndDelete("/a", "v", 0),
          new Command.CompareAndDelete("/a", null, 9),
          new Command.Expire(),
          new Command.Set("/中文 key", false, "\u0000\ufffd<&>", null, false));

  @Test
  void batch_roundTripsEveryCommandKind() throws IOException {
    byte[] bytes = CommandCodec.encodeBatch(-42L, 7L, EVERY_KIND);
    assertThat(CommandCodec.decodeBatch(new ByteArrayInputStream(bytes)))
        .isEqualTo(new CommandCodec.Batch(-42L, 7L, EVERY_KIND));
  }

  @Test
  void batch_unknownVersionFailsLoudly() {
    byte[] bytes = CommandCodec.encodeBatch(1, 1, EVERY_KIND);
    bytes[0] = 9;
    assertThatThrownBy(() -> CommandCodec.decodeBatch(new ByteArrayInputStream(bytes)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version");
  }

  @Test
  void batch_truncatedFailsLoudly() {
    byte[] bytes = CommandCodec.encodeBatch(1, 1, EVERY_KIND);
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> CommandCodec.decodeBatch(new ByteArrayInputStream(cut)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void batch_trailingBytesFailLoudly() {
    byte[] bytes = CommandCodec.encodeBatch(1, 1, EVERY_KIND);
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> CommandCodec.decodeBatch(new ByteArrayInputStream(longer)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void joinBatch_ofPreEncodedCommands_decodesLikeEncodeBatch() throws IOException {
    List<byte[]> encoded = new java.util.ArrayList<>();
    EVERY_KIND.forEach(c -> encoded.add(CommandCodec.encode(c)));
    byte[] joined = CommandCodec.joinBatch(3, 9, encoded);
    assertThat(joined).isEqualTo(CommandCodec.encodeBatch(3, 9, EVERY_KIND));
    assertThat(CommandCodec.decodeBatch(new ByteArrayInputStream(joined)))
        .isEqualTo(new CommandCodec.Batch(3, 9, EVERY_KIND));
  }

  @Test
  void readRequest_roundTrips() throws IOException {
    CommandCodec.ReadRequest read = new CommandCodec.ReadRequest("/a/b", true, false);
    assertThat(CommandCodec.decodeRead(new ByteArrayInputStream(CommandCodec.encodeRead(read))))
        .isEqualTo(read);
  }
}
