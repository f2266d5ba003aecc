package io.roster.store;

import io.roster.api.Action;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The store's binary snapshot, version 1. Big-endian ({@link DataOutputStream}); no Java
 * serialisation.
 *
 * <pre>
 * int    magic 0x524F5354 ("ROST")
 * int    version (1)
 * long   currentIndex
 * int    number of root children, then each node in pre-order, children in name order:
 *          bytes  name
 *          byte   flags (1 = directory, 2 = has expiration)
 *          long   createdIndex, long modifiedIndex
 *          long   expireAt                      (if flag 2)
 *          int    number of children            (directory)  | bytes value (file)
 * int    number of history events (0..1000); they are the contiguous indices ending at
 *        currentIndex, oldest first:
 *          bytes  action (wire spelling)
 *          byte   flags (1 = directory, 2 = created, 4 = refresh)
 *          bytes  key
 *          bytes  body (the rendered JSON, newline included)
 * int    CRC-32 of everything above
 * "bytes" = int length + that many bytes; strings are UTF-8.
 * </pre>
 *
 * <p>Equal states give equal bytes: children are ordered, the expiry queue is rebuilt from the tree
 * rather than stored, and per-member counters and watchers are left out. Reading validates
 * everything it can (magic, version, names, flags, index ranges, history contiguity, checksum) and
 * throws {@link IOException} on anything else. Lengths are bounded by {@value #MAX_BYTES} and read
 * with {@link InputStream#readNBytes(int)}, which grows its buffer only as data actually arrives,
 * so a hostile length cannot make it allocate more than the stream really holds. Reading consumes
 * exactly the snapshot's bytes and does not buffer: wrap slow streams in a buffered stream.
 */
final class SnapshotFormat {
  static final int MAGIC = 0x524F5354;
  static final int VERSION = 1;

  /** Bound on any one length-prefixed field (a value, a key, an event body). */
  static final int MAX_BYTES = 1 << 30;

  private static final int DIR = 1;
  private static final int EXPIRES = 2;
  private static final int CREATED = 2;
  private static final int REFRESH = 4;

  private SnapshotFormat() {}

  /** What a snapshot holds. */
  record State(Node root, long currentIndex, EventHistory history, ExpiryQueue expiry) {}

  static byte[] write(Node root, long currentIndex, EventHistory history) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    CRC32 crc = new CRC32();
    try {
      DataOutputStream out = new DataOutputStream(new CheckedOutputStream(bytes, crc));
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(currentIndex);
      out.writeInt(root.children().size());
      IOException[] failure = new IOException[1];
      Tree.forEachInSubtree(
          root,
          n -> {
            if (n != root && failure[0] == null) {
              try {
                writeNode(out, n);
              } catch (IOException e) {
                failure[0] = e;
              }
            }
          });
      if (failure[0] != null) {
        throw failure[0];
      }
      out.writeInt(history.size());
      for (long i = history.oldestIndex(); i <= history.lastIndex() && i > 0; i++) {
        Event e = history.get(i);
        writeBytes(out, e.action().wire().getBytes(StandardCharsets.UTF_8));
        out.writeByte(
            (e.dir() ? DIR : 0)
                | (e.httpStatus() == 201 ? CREATED : 0)
                | (e.refresh() ? REFRESH : 0));
        writeBytes(out, e.key().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, e.body());
      }
      out.flush();
      new DataOutputStream(bytes).writeInt((int) crc.getValue());
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
    return bytes.toByteArray();
  }

  private static void writeNode(DataOutputStream out, Node n) throws IOException {
    writeBytes(out, n.name().getBytes(StandardCharsets.UTF_8));
    out.writeByte((n.isDir() ? DIR : 0) | (n.expires ? EXPIRES : 0));
    out.writeLong(n.createdIndex);
    out.writeLong(n.modifiedIndex);
    if (n.expires) {
      out.writeLong(n.expireAt);
    }
    if (n.isDir()) {
      out.writeInt(n.children().size());
    } else {
      writeBytes(out, n.value().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  static State read(InputStream raw) throws IOException {
    CRC32 crc = new CRC32();
    DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
    try {
      if (in.readInt() != MAGIC) {
        throw new IOException("not a roster store snapshot (bad magic)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException("unsupported store snapshot version " + version);
      }
      long currentIndex = in.readLong();
      check(currentIndex >= 0, "negative index");
      Node root = Node.root();
      ExpiryQueue expiry = new ExpiryQueue();
      readTree(in, root, currentIndex, expiry);
      EventHistory history = readHistory(in, currentIndex);
      int expected = (int) crc.getValue();
      int actual = new DataInputStream(raw).readInt();
      check(expected == actual, "checksum mismatch");
      return new State(root, currentIndex, history, expiry);
    } catch (EOFException e) {
      throw new IOException("truncated store snapshot", e);
    }
  }

  private static void readTree(DataInputStream in, Node root, long currentIndex, ExpiryQueue expiry)
      throws IOException {
    record Open(Node dir, int remaining) {}
    ArrayDeque<Open> stack = new ArrayDeque<>();
    stack.push(new Open(root, count(in)));
    while (!stack.isEmpty()) {
      Open top = stack.pop();
      if (top.remaining() == 0) {
        continue;
      }
      stack.push(new Open(top.dir(), top.remaining() - 1));
      String name = string(in);
      check(Keys.isName(name, 0, name.length()) && name.indexOf('/') < 0, "bad name");
      int flags = in.readUnsignedByte();
      check((flags & ~(DIR | EXPIRES)) == 0, "bad node flags");
      long created = in.readLong();
      long modified = in.readLong();
      check(1 <= created && created <= modified && modified <= currentIndex, "bad node index");
      String key = Keys.child(top.dir().key, name);
      Node n;
      int children = 0;
      boolean expires = (flags & EXPIRES) != 0;
      long expireAt = expires ? in.readLong() : 0;
      if ((flags & DIR) != 0) {
        children = count(in);
        n = Node.dir(key, created, modified);
      } else {
        n = Node.file(key, string(in), created, modified);
      }
      check(top.dir().child(name) == null, "duplicate name");
      top.dir().add(n);
      if (expires) {
        n.expires = true;
        n.expireAt = expireAt;
        expiry.add(n);
      }
      if (children > 0) {
        stack.push(new Open(n, children));
      }
    }
  }

  private static EventHistory readHistory(DataInputStream in, long currentIndex)
      throws IOException {
    int size = in.readInt();
    check(size >= 0 && size <= EventHistory.CAPACITY && size <= currentIndex, "bad history size");
    EventHistory history = new EventHistory();
    long index = currentIndex - size + 1;
    for (int i = 0; i < size; i++, index++) {
      Action action = action(string(in));
      int flags = in.readUnsignedByte();
      check((flags & ~(DIR | CREATED | REFRESH)) == 0, "bad event flags");
      String key = string(in);
      check(Keys.isClean(key), "bad event key");
      byte[] body = bytes(in);
      history.add(
          new Event(
              action,
              key,
              (flags & DIR) != 0,
              index,
              (flags & CREATED) != 0,
              (flags & REFRESH) != 0,
              body));
    }
    return history;
  }

  private static Action action(String wire) throws IOException {
    for (Action a : Action.values()) {
      if (a != Action.GET && a.wire().equals(wire)) {
        return a;
      }
    }
    throw new IOException("unknown action in store snapshot");
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    check(n >= 0, "negative count");
    return n;
  }

  private static String string(DataInputStream in) throws IOException {
    return new String(bytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    check(n >= 0 && n <= MAX_BYTES, "bad length");
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException();
    }
    return b;
  }

  private static void check(boolean ok, String what) throws IOException {
    if (!ok) {
      throw new IOException("corrupt store snapshot: " + what);
    }
  }
}
