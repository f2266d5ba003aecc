package io.roster.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of one {@code Transfer-Encoding: chunked} request, decoded the way Go 1.19's server
 * decodes it ({@code net/http/internal/chunked.go} and {@code body.readTrailer} in {@code
 * transfer.go}), so that a malformed body fails where etcd's fails and with etcd's error text.
 *
 * <p>Netty's own chunk parser is more lenient than Go's: it skips to the end of the line after
 * chunk data whatever precedes it, ignores leading whitespace in the size line and whitespace
 * before an extension, and accepts any number of leading zeros. A body that etcd rejects (its form
 * handler answering 210 {@code Invalid POST form} with the error as cause, everything else closing
 * the connection) would then be accepted, so {@link ServerCodec} hands chunked bodies to this class
 * instead.
 *
 * <p><b>Go's rules.</b> A size line is read up to {@code \n}; the line, {@code \n} included, must
 * be shorter than 4096 bytes (else {@code header line too long}). Trailing spaces, tabs, {@code \r}
 * and {@code \n} are trimmed, everything from the first {@code ;} (an extension) is dropped, and
 * the rest must be hex digits ({@code invalid byte in chunk length}; an empty rest is size 0), at
 * most 16 of them ({@code http chunk length too large}). Chunk data must be followed by exactly
 * {@code \r\n} ({@code malformed chunked encoding}). After the last (size 0) chunk comes either
 * {@code \r\n} or a trailer block, which must end with {@code \r\n\r\n} within 4096 bytes ({@code
 * http: suspiciously long trailer after chunked body}) and parse as MIME headers ({@code malformed
 * MIME header initial line: …}, {@code malformed MIME header: missing colon: "…"}); the trailer
 * ends at its first empty line, and whatever follows belongs to the next request. Trailer fields
 * are parsed for errors only and then dropped, as etcd never reads them.
 *
 * <p>Output: a {@link DefaultHttpContent} per slice of chunk data (at most {@code maxContent}
 * bytes), then one {@link LastHttpContent}: empty on success, or with a failed {@link
 * DecoderResult} whose cause is a {@link FramingException} carrying Go's text. After a failure all
 * further input is swallowed: the connection is closed after the response, as Go does. A body cut
 * short by the peer closing is not reported here (the connection is gone). Not thread-safe; one per
 * request body.
 */
final class GoChunkedReader {
  /** Go's {@code maxLineLength} for chunk size lines, and its reader's buffer for trailers. */
  static final int MAX_LINE = 4096;

  /** A chunked body that Go would refuse; the message is Go's error text. */
  static final class FramingException extends Exception {
    private static final long serialVersionUID = 1L;

    FramingException(String goError) {
      super(goError, null, false, false);
    }
  }

  private enum State {
    SIZE,
    DATA,
    DATA_END,
    TRAILER,
    DONE,
    FAILED
  }

  private final int maxContent;
  private State state = State.SIZE;
  private long remaining;

  GoChunkedReader(int maxContent) {
    this.maxContent = maxContent;
  }

  /** Whether the last content (success or failure) has been emitted. */
  boolean finished() {
    return state == State.DONE || state == State.FAILED;
  }

  /** Whether the body failed to decode. */
  boolean failed() {
    return state == State.FAILED;
  }

  /**
   * Consumes what it can of {@code in}, adding contents to {@code out}; stops when it needs more
   * input or once finished (leaving the next request's bytes unread, except after a failure).
   */
  void decode(ByteBuf in, List<Object> out) {
    while (true) {
      switch (state) {
        case SIZE -> {
          if (!sizeLine(in, out)) {
            return;
          }
        }
        case DATA -> {
          if (!in.isReadable()) {
            return;
          }
          int take = (int) Math.min(Math.min(remaining, in.readableBytes()), maxContent);
          out.add(new DefaultHttpContent(in.readRetainedSlice(take)));
          remaining -= take;
          if (remaining == 0) {
            state = State.DATA_END;
          }
        }
        case DATA_END -> {
          if (in.readableBytes() < 2) {
            return;
          }
          byte cr = in.readByte();
          byte lf = in.readByte();
          if (cr != '\r' || lf != '\n') {
            fail(in, out, "malformed chunked encoding");
            return;
          }
          state = State.SIZE;
        }
        case TRAILER -> {
          trailer(in, out);
          return;
        }
        case DONE -> {
          return;
        }
        case FAILED -> {
          in.skipBytes(in.readableBytes());
          return;
        }
      }
    }
  }

  /** Reads one size line; false when more input is needed or the body has failed. */
  private boolean sizeLine(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int scan = Math.min(in.readableBytes(), MAX_LINE - 1);
    int lf = in.indexOf(start, start + scan, (byte) '\n');
    if (lf < 0) {
      if (in.readableBytes() >= MAX_LINE - 1) {
        fail(in, out, "header line too long");
      }
      return false;
    }
    String line = in.toString(start, lf - start, StandardCharsets.ISO_8859_1);
    in.readerIndex(lf + 1);
    int end = line.length();
    while (end > 0 && " \t\r\n".indexOf(line.charAt(end - 1)) >= 0) {
      end--;
    }
    line = line.substring(0, end);
    int semi = line.indexOf(';');
    if (semi >= 0) {
      line = line.substring(0, semi);
    }
    long size = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      int digit = c <= 'f' ? Character.digit(c, 16) : -1;
      if (digit < 0) {
        fail(in, out, "invalid byte in chunk length");
        return false;
      }
      if (i == 16) {
        fail(in, out, "http chunk length too large");
        return false;
      }
      size = (size << 4) | digit;
    }
    if (size == 0) {
      state = State.TRAILER;
    } else {
      remaining = size < 0 ? Long.MAX_VALUE : size;
      state = State.DATA;
    }
    return true;
  }

  private void trailer(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    if (in.readableBytes() < 2) {
      return;
    }
    if (in.getByte(start) == '\r' && in.getByte(start + 1) == '\n') {
      in.skipBytes(2);
      state = State.DONE;
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      return;
    }
    int window = Math.min(in.readableBytes(), MAX_LINE);
    String peek = in.toString(start, window, StandardCharsets.ISO_8859_1);
    if (!peek.contains("\r\n\r\n")) {
      if (window == MAX_LINE) {
        fail(in, out, "http: suspiciously long trailer after chunked body");
      }
      return;
    }
    int pos = 0;
    String error = null;
    if (peek.charAt(0) == ' ' || peek.charAt(0) == '\t') {
      int lf = peek.indexOf('\n');
      error = "malformed MIME header initial line: " + stripCr(peek.substring(0, lf));
      pos = lf + 1;
    } else {
      while (true) {
        int lf = peek.indexOf('\n', pos);
        String line = stripCr(peek.substring(pos, lf));
        pos = lf + 1;
        if (line.isEmpty()) {
          break;
        }
        if (line.indexOf(':') < 0) {
          error = "malformed MIME header: missing colon: " + GoStrconv.quote(line);
          break;
        }
        while (pos < peek.length() && (peek.charAt(pos) == ' ' || peek.charAt(pos) == '\t')) {
          pos = peek.indexOf('\n', pos) + 1;
        }
      }
    }
    in.skipBytes(pos);
    if (error != null) {
      fail(in, out, error);
    } else {
      state = State.DONE;
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
    }
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private void fail(ByteBuf in, List<Object> out, String goError) {
    state = State.FAILED;
    in.skipBytes(in.readableBytes());
    LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
    last.setDecoderResult(DecoderResult.failure(new FramingException(goError)));
    out.add(last);
  }
}
