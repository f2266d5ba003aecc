package io.roster.server.raft;

import io.roster.api.Action;
import io.roster.api.ErrorCode;
import io.roster.store.Outcome;
import io.roster.store.ReadResult;
import io.roster.store.StoreError;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The replicated wire format: batches of {@link Command}s in log entries, batches of {@link
 * WriteReply}s in state-machine replies, and quorum-read requests.
 *
 * <p>A log entry is {@code [leader time: 8 bytes][batch]}; the leader prepends its time in {@code
 * startTransaction}, so the proposing member never decides the time. A batch is {@code [version
 * 1][count][command…]}; each command is a tag byte followed by its fields. Strings are UTF-8 with
 * an int length; a nullable TTL is a presence byte and a long. The version byte lets a later
 * release read logs written by this one; an unknown version or tag fails loudly rather than apply
 * something else.
 */
public final class CommandCodec {
  static final int VERSION = 1;
  static final int MAX_BATCH = 1 << 20;

  private static final int SET = 1;
  private static final int CREATE = 2;
  private static final int UPDATE = 3;
  private static final int CAS = 4;
  private static final int DELETE = 5;
  private static final int CAD = 6;
  private static final int EXPIRE = 7;

  private CommandCodec() {}

  /** Encodes a batch of commands. */
  public static byte[] encodeBatch(List<Command> commands) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * commands.size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeInt(commands.size());
      for (Command c : commands) {
        writeCommand(out, c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a batch written by {@link #encodeBatch}.
   *
   * @throws IOException if the bytes are not a batch of a known version
   */
  public static List<Command> decodeBatch(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int version = data.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("unknown command batch version " + version);
    }
    int n = data.readInt();
    if (n < 0 || n > MAX_BATCH) {
      throw new IOException("bad command batch size " + n);
    }
    List<Command> commands = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      commands.add(readCommand(data));
    }
    return commands;
  }

  private static void writeCommand(DataOutputStream out, Command c) throws IOException {
    if (c instanceof Command.Set s) {
      out.writeByte(SET);
      writeString(out, s.key());
      out.writeBoolean(s.dir());
      writeString(out, s.value());
      writeTtl(out, s.ttlSeconds());
      out.writeBoolean(s.refresh());
    } else if (c instanceof Command.Create cr) {
      out.writeByte(CREATE);
      writeString(out, cr.key());
      out.writeBoolean(cr.dir());
      writeString(out, cr.value());
      out.writeBoolean(cr.unique());
      writeTtl(out, cr.ttlSeconds());
    } else if (c instanceof Command.Update u) {
      out.writeByte(UPDATE);
      writeString(out, u.key());
      writeString(out, u.value());
      writeTtl(out, u.ttlSeconds());
      out.writeBoolean(u.refresh());
    } else if (c instanceof Command.CompareAndSwap cas) {
      out.writeByte(CAS);
      writeString(out, cas.key());
      writeNullableString(out, cas.prevValue());
      out.writeLong(cas.prevIndex());
      writeString(out, cas.value());
      writeTtl(out, cas.ttlSeconds());
      out.writeBoolean(cas.refresh());
    } else if (c instanceof Command.Delete d) {
      out.writeByte(DELETE);
      writeString(out, d.key());
      out.writeBoolean(d.dir());
      out.writeBoolean(d.recursive());
    } else if (c instanceof Command.CompareAndDelete cad) {
      out.writeByte(CAD);
      writeString(out, cad.key());
      writeNullableString(out, cad.prevValue());
      out.writeLong(cad.prevIndex());
    } else if (c instanceof Command.Expire) {
      out.writeByte(EXPIRE);
    } else {
      throw new IllegalArgumentException("unknown command " + c);
    }
  }

  private static Command readCommand(DataInputStream in) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case SET:
        return new Command.Set(
            readString(in), in.readBoolean(), readString(in), readTtl(in), in.readBoolean());
      case CREATE:
        return new Command.Create(
            readString(in), in.readBoolean(), readString(in), in.readBoolean(), readTtl(in));
      case UPDATE:
        return new Command.Update(readString(in), readString(in), readTtl(in), in.readBoolean());
      case CAS:
        return new Command.CompareAndSwap(
            readString(in),
            readNullableString(in),
            in.readLong(),
            readString(in),
            readTtl(in),
            in.readBoolean());
      case DELETE:
        return new Command.Delete(readString(in), in.readBoolean(), in.readBoolean());
      case CAD:
        return new Command.CompareAndDelete(readString(in), readNullableString(in), in.readLong());
      case EXPIRE:
        return new Command.Expire();
      default:
        throw new IOException("unknown command tag " + tag);
    }
  }

  /** Encodes the replies to one batch, in command order. */
  public static byte[] encodeReplies(List<WriteReply> replies) {
    int size = 8;
    for (WriteReply r : replies) {
      size += 16 + r.body().length;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeInt(replies.size());
      for (WriteReply r : replies) {
        Action action = r.action();
        out.writeByte(action == null ? -1 : action.ordinal());
        out.writeShort(r.httpStatus());
        out.writeLong(r.etcdIndex());
        out.writeInt(r.body().length);
        out.write(r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes replies written by {@link #encodeReplies}.
   *
   * @throws IOException if the bytes are not a reply batch of a known version
   */
  public static List<WriteReply> decodeReplies(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int version = data.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("unknown reply batch version " + version);
    }
    int n = data.readInt();
    if (n < 0 || n > MAX_BATCH) {
      throw new IOException("bad reply batch size " + n);
    }
    Action[] actions = Action.values();
    List<WriteReply> replies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int a = data.readByte();
      int status = data.readUnsignedShort();
      long index = data.readLong();
      byte[] body = readBytes(data);
      if (a >= actions.length) {
        throw new IOException("unknown action " + a);
      }
      replies.add(new WriteReply(a < 0 ? null : actions[a], status, index, body));
    }
    return replies;
  }

  /** A quorum read: the arguments of a GET. */
  public record ReadRequest(String key, boolean recursive, boolean sorted) {}

  /** Encodes a quorum-read request. */
  public static byte[] encodeRead(ReadRequest read) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + read.key().length() * 3);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      writeString(out, read.key());
      out.writeBoolean(read.recursive());
      out.writeBoolean(read.sorted());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a quorum-read request.
   *
   * @throws IOException if the bytes are not a read request of a known version
   */
  public static ReadRequest decodeRead(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int version = data.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("unknown read version " + version);
    }
    return new ReadRequest(readString(data), data.readBoolean(), data.readBoolean());
  }

  /** Encodes the answer to a quorum read: a {@link ReadResult} or a {@link StoreError}. */
  public static byte[] encodeReadResult(Outcome outcome) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(outcome.body().length + 32);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      if (outcome instanceof StoreError err) {
        out.writeBoolean(false);
        out.writeShort(err.code().code());
        writeNullableString(out, err.cause());
        out.writeLong(err.index());
      } else {
        out.writeBoolean(true);
        out.writeLong(outcome.index());
        out.writeInt(outcome.body().length);
        out.write(outcome.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes what {@link #encodeReadResult} wrote.
   *
   * @throws IOException if the bytes are not a read result of a known version
   */
  public static Outcome decodeReadResult(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int version = data.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("unknown read result version " + version);
    }
    if (data.readBoolean()) {
      long index = data.readLong();
      return new ReadResult(index, readBytes(data));
    }
    int code = data.readUnsignedShort();
    String cause = readNullableString(data);
    long index = data.readLong();
    try {
      return new StoreError(ErrorCode.of(code), cause, index);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void writeNullableString(DataOutputStream out, @Nullable String s)
      throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      writeString(out, s);
    }
  }

  private static void writeTtl(DataOutputStream out, @Nullable Long ttl) throws IOException {
    out.writeBoolean(ttl != null);
    if (ttl != null) {
      out.writeLong(ttl);
    }
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (64 << 20)) {
      throw new IOException("bad length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static @Nullable String readNullableString(DataInputStream in) throws IOException {
    return in.readBoolean() ? readString(in) : null;
  }

  private static @Nullable Long readTtl(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readLong() : null;
  }
}
