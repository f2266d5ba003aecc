package io.roster.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.api.Action;
import io.roster.api.ErrorCode;
import io.roster.store.Outcome;
import io.roster.store.ReadResult;
import io.roster.store.StoreError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    byte[] bytes = CommandCodec.encodeBatch(EVERY_KIND);
    assertThat(CommandCodec.decodeBatch(new ByteArrayInputStream(bytes))).isEqualTo(EVERY_KIND);
  }

  @Test
  void batch_unknownVersionFailsLoudly() {
    byte[] bytes = CommandCodec.encodeBatch(EVERY_KIND);
    bytes[0] = 9;
    assertThatThrownBy(() -> CommandCodec.decodeBatch(new ByteArrayInputStream(bytes)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version");
  }

  @Test
  void batch_truncatedFailsLoudly() {
    byte[] bytes = CommandCodec.encodeBatch(EVERY_KIND);
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> CommandCodec.decodeBatch(new ByteArrayInputStream(cut)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void replies_roundTrip() throws IOException {
    List<WriteReply> replies =
        List.of(
            new WriteReply(
                Action.SET, 201, 4, "{\"action\":\"set\"}\n".getBytes(StandardCharsets.UTF_8)),
            new WriteReply(null, 404, 4, "{\"errorCode\":100}\n".getBytes(StandardCharsets.UTF_8)),
            new WriteReply(Action.COMPARE_AND_DELETE, 200, 5, new byte[0]));
    List<WriteReply> back =
        CommandCodec.decodeReplies(new ByteArrayInputStream(CommandCodec.encodeReplies(replies)));
    assertThat(back).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(back.get(i).action()).isEqualTo(replies.get(i).action());
      assertThat(back.get(i).httpStatus()).isEqualTo(replies.get(i).httpStatus());
      assertThat(back.get(i).etcdIndex()).isEqualTo(replies.get(i).etcdIndex());
      assertThat(back.get(i).body()).isEqualTo(replies.get(i).body());
    }
    assertThat(back.get(1).success()).isFalse();
  }

  @Test
  void readRequestAndResult_roundTrip() throws IOException {
    CommandCodec.ReadRequest read = new CommandCodec.ReadRequest("/a/b", true, false);
    assertThat(CommandCodec.decodeRead(new ByteArrayInputStream(CommandCodec.encodeRead(read))))
        .isEqualTo(read);

    Outcome ok = new ReadResult(12, "{\"action\":\"get\"}\n".getBytes(StandardCharsets.UTF_8));
    Outcome okBack =
        CommandCodec.decodeReadResult(new ByteArrayInputStream(CommandCodec.encodeReadResult(ok)));
    assertThat(okBack).isInstanceOf(ReadResult.class);
    assertThat(okBack.index()).isEqualTo(12);
    assertThat(okBack.body()).isEqualTo(ok.body());

    StoreError err = new StoreError(ErrorCode.KEY_NOT_FOUND, "/a", 12);
    assertThat(
            CommandCodec.decodeReadResult(
                new ByteArrayInputStream(CommandCodec.encodeReadResult(err))))
        .isEqualTo(err);
  }
}
