package io.roster.server.raft;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The replicated wire format: batches of {@link Command}s in log entries, and quorum-read requests.
 *
 * <p>A log entry is {@code [leader time: 8 bytes][batch]}; the leader prepends its time in {@code
 * startTransaction}, so the proposing member never decides the time. A batch is {@code [version
 * 1][origin][sequence][count][command…]}: origin and sequence name the proposing gateway and its
 * batch, so that the proposer can pick up the results of its own batch when it applies the entry
 * locally (results never travel over Raft); they do not influence the state. Each command is a tag
 * byte followed by its fields. Strings are UTF-8 with an int length; a nullable TTL is a presence
 * byte and a long. The version byte lets a later release read logs written by this one; an unknown
 * version or tag fails loudly rather than apply something else.
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
  private static final int BOOTSTRAP = 8;
  private static final int ADD_MEMBER = 9;
  private static final int REMOVE_MEMBER = 10;
  private static final int UPDATE_MEMBER = 11;
  private static final int PUBLISH = 12;
  private static final int MAX_LIST = 1 << 10;

  private CommandCodec() {}

  /** A decoded log entry's batch: who proposed it, its sequence number there, and its commands. */
  public record Batch(long origin, long sequence, List<Command> commands) {}

  /**
   * Encodes a batch of commands proposed by {@code origin} as its batch number {@code sequence}.
   */
  public static byte[] encodeBatch(long origin, long sequence, List<Command> commands) {
    List<byte[]> encoded = new ArrayList<>(commands.size());
    for (Command c : commands) {
      encoded.add(encode(c));
    }
    return joinBatch(origin, sequence, encoded);
  }

  /**
   * One command's encoding, as it appears inside a batch; encoded once, when it is proposed, then
   * sized and joined by {@link #joinBatch} without encoding it again.
   */
  public static byte[] encode(Command command) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeCommand(out, command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A batch of commands already {@link #encode encoded}, proposed by {@code origin}. */
  public static byte[] joinBatch(long origin, long sequence, List<byte[]> encodedCommands) {
    int size = 21;
    for (byte[] c : encodedCommands) {
      size += c.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION).putLong(origin).putLong(sequence).putInt(encodedCommands.size());
    for (byte[] c : encodedCommands) {
      out.put(c);
    }
    return out.array();
  }

  /**
   * Decodes a batch written by {@link #encodeBatch}.
   *
   * @throws IOException if the bytes are not a batch of a known version
   */
  public static Batch decodeBatch(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int version = data.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("unknown command batch version " + version);
    }
    long origin = data.readLong();
    long sequence = data.readLong();
    int n = data.readInt();
    if (n < 0 || n > MAX_BATCH) {
      throw new IOException("bad command batch size " + n);
    }
    List<Command> commands = new ArrayList<>(Math.min(n, 4096));
    for (int i = 0; i < n; i++) {
      commands.add(readCommand(data));
    }
    if (data.read() != -1) {
      throw new IOException("trailing bytes after a command batch");
    }
    return new Batch(origin, sequence, commands);
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
    } else if (c instanceof Command.Bootstrap b) {
      out.writeByte(BOOTSTRAP);
      out.writeLong(b.clusterId());
      out.writeInt(b.members().size());
      for (Members.Member m : b.members()) {
        out.writeLong(m.id());
        writeString(out, m.name());
        writeList(out, m.peerUrls());
        writeList(out, m.clientUrls());
      }
    } else if (c instanceof Command.AddMember a) {
      out.writeByte(ADD_MEMBER);
      out.writeLong(a.id());
      writeList(out, a.peerUrls());
    } else if (c instanceof Command.RemoveMember r) {
      out.writeByte(REMOVE_MEMBER);
      out.writeLong(r.id());
    } else if (c instanceof Command.UpdateMember u) {
      out.writeByte(UPDATE_MEMBER);
      out.writeLong(u.id());
      writeList(out, u.peerUrls());
    } else if (c instanceof Command.Publish p) {
      out.writeByte(PUBLISH);
      out.writeLong(p.id());
      writeString(out, p.name());
      writeList(out, p.clientUrls());
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
      case BOOTSTRAP:
        {
          long clusterId = in.readLong();
          int n = readCount(in);
          List<Members.Member> members = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            members.add(
                new Members.Member(in.readLong(), readString(in), readList(in), readList(in)));
          }
          return new Command.Bootstrap(clusterId, members);
        }
      case ADD_MEMBER:
        return new Command.AddMember(in.readLong(), readList(in));
      case REMOVE_MEMBER:
        return new Command.RemoveMember(in.readLong());
      case UPDATE_MEMBER:
        return new Command.UpdateMember(in.readLong(), readList(in));
      case PUBLISH:
        return new Command.Publish(in.readLong(), readString(in), readList(in));
      default:
        throw new IOException("unknown command tag " + tag);
    }
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

  private static void writeList(DataOutputStream out, List<String> items) throws IOException {
    out.writeInt(items.size());
    for (String s : items) {
      writeString(out, s);
    }
  }

  private static int readCount(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_LIST) {
      throw new IOException("bad list length " + n);
    }
    return n;
  }

  private static List<String> readList(DataInputStream in) throws IOException {
    int n = readCount(in);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(readString(in));
    }
    return out;
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
