package io.roster.server.raft;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated member registry (etcd's {@code membership.RaftCluster}): who the cluster's members
 * are, their names, peer and client URLs, the ids removed for good, and the cluster id. It is part
 * of the state machine: changed only by applying {@link Command.MemberCommand}s in log order and
 * saved in snapshots, so every member — a newly joined one included — lists the same members.
 *
 * <p>The Raft configuration is a separate thing that follows this registry: the leader's {@code
 * MembershipAgent} changes the Ratis configuration until its peers are exactly this registry's
 * members. Recording the intent first is what lets {@code member add} answer at once, as etcd does,
 * while Ratis admits the new peer only once it has caught up, so adding a member that is not
 * running yet never costs the cluster its quorum (etcd's E25 pitfall).
 *
 * <p>Immutable: applying a command returns a new registry. Members are listed in id order (etcd
 * sorts by id); ids compare as unsigned, as etcd's uint64.
 */
public final class Members {
  /** The registry of a cluster whose bootstrap entry has not been applied yet. */
  public static final Members EMPTY =
      new Members(0, new TreeMap<>(Long::compareUnsigned), new TreeSet<>(Long::compareUnsigned));

  /**
   * A member as the registry holds it.
   *
   * @param id the member id
   * @param name empty until the member has started and published its attributes
   * @param peerUrls where its Raft server is reached; the first one's host and port are the Ratis
   *     address
   * @param clientUrls empty until the member has started and published its attributes
   */
  public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls) {
    public Member {
      peerUrls = List.copyOf(peerUrls);
      clientUrls = List.copyOf(clientUrls);
    }
  }

  private final long clusterId;
  private final TreeMap<Long, Member> byId;
  private final TreeSet<Long> removed;

  private Members(long clusterId, TreeMap<Long, Member> byId, TreeSet<Long> removed) {
    this.clusterId = clusterId;
    this.byId = byId;
    this.removed = removed;
  }

  /** Whether the bootstrap entry has been applied (a cluster id and its first members). */
  public boolean bootstrapped() {
    return clusterId != 0;
  }

  /** The cluster id; 0 before bootstrap. */
  public long clusterId() {
    return clusterId;
  }

  /** Current members in id order. */
  public List<Member> list() {
    return List.copyOf(byId.values());
  }

  /** The member with this id, if it is a current member. */
  public Optional<Member> get(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Whether {@code id} was a member and has been removed. */
  public boolean isRemoved(long id) {
    return removed.contains(id);
  }

  /** Ids removed for good. */
  public Set<Long> removedIds() {
    return Collections.unmodifiableSet(removed);
  }

  /** The result of applying a membership command: the new registry and the answer to send. */
  public record Applied(Members members, WriteReply reply) {}

  /**
   * Applies a command deterministically. Domain failures (unknown member, conflicting URL) change
   * nothing and become the members API's error answers; {@code index} is only echoed back.
   */
  public Applied apply(Command.MemberCommand c, long index) {
    if (c instanceof Command.Bootstrap b) {
      if (bootstrapped()) {
        return new Applied(this, reply(200, "", index));
      }
      TreeMap<Long, Member> m = new TreeMap<>(Long::compareUnsigned);
      b.members().forEach(x -> m.put(x.id(), x));
      return new Applied(new Members(b.clusterId(), m, removed), reply(200, "", index));
    }
    if (c instanceof Command.AddMember a) {
      if (byId.containsKey(a.id())) {
        return new Applied(this, error(409, "membership: ID exists", index));
      }
      if (conflicts(a.peerUrls(), a.id())) {
        return new Applied(this, error(409, "membership: peerURL exists", index));
      }
      Member added = new Member(a.id(), "", a.peerUrls(), List.of());
      TreeMap<Long, Member> m = copy();
      m.put(a.id(), added);
      TreeSet<Long> r = new TreeSet<>(removed);
      r.remove(a.id());
      return new Applied(new Members(clusterId, m, r), reply(201, memberJson(added), index));
    }
    if (c instanceof Command.RemoveMember rm) {
      if (removed.contains(rm.id())) {
        return new Applied(
            this, error(410, "Member permanently removed: " + Long.toHexString(rm.id()), index));
      }
      if (!byId.containsKey(rm.id())) {
        return new Applied(this, error(404, "No such member: " + Long.toHexString(rm.id()), index));
      }
      TreeMap<Long, Member> m = copy();
      m.remove(rm.id());
      TreeSet<Long> r = new TreeSet<>(removed);
      r.add(rm.id());
      return new Applied(new Members(clusterId, m, r), reply(204, "", index));
    }
    if (c instanceof Command.UpdateMember u) {
      Member old = byId.get(u.id());
      if (old == null) {
        return new Applied(this, error(404, "No such member: " + Long.toHexString(u.id()), index));
      }
      if (conflicts(u.peerUrls(), u.id())) {
        return new Applied(this, error(409, "membership: peerURL exists", index));
      }
      TreeMap<Long, Member> m = copy();
      m.put(u.id(), new Member(u.id(), old.name(), u.peerUrls(), old.clientUrls()));
      return new Applied(new Members(clusterId, m, removed), reply(204, "", index));
    }
    if (c instanceof Command.Publish p) {
      Member old = byId.get(p.id());
      if (old == null) {
        return new Applied(this, error(404, "No such member: " + Long.toHexString(p.id()), index));
      }
      TreeMap<Long, Member> m = copy();
      m.put(p.id(), new Member(p.id(), p.name(), old.peerUrls(), p.clientUrls()));
      return new Applied(new Members(clusterId, m, removed), reply(200, "", index));
    }
    throw new IllegalArgumentException("unknown membership command " + c);
  }

  private boolean conflicts(List<String> urls, long self) {
    for (Member m : byId.values()) {
      if (m.id() == self) {
        continue;
      }
      for (String u : urls) {
        if (m.peerUrls().contains(u)) {
          return true;
        }
      }
    }
    return false;
  }

  private TreeMap<Long, Member> copy() {
    TreeMap<Long, Member> m = new TreeMap<>(Long::compareUnsigned);
    m.putAll(byId);
    return m;
  }

  private static WriteReply reply(int status, String body, long index) {
    return new WriteReply(null, status, index, body.getBytes(StandardCharsets.UTF_8));
  }

  private static WriteReply error(int status, String message, long index) {
    return reply(status, "{\"message\":" + jsonString(message) + "}", index);
  }

  /** A member object as {@code /v2/members} writes it, with etcd's trailing newline. */
  static String memberJson(Member m) {
    StringBuilder b = new StringBuilder(128);
    b.append("{\"id\":\"").append(Long.toHexString(m.id())).append("\",\"name\":");
    b.append(jsonString(m.name())).append(",\"peerURLs\":");
    array(b, m.peerUrls());
    b.append(",\"clientURLs\":");
    array(b, m.clientUrls());
    return b.append("}\n").toString();
  }

  private static void array(StringBuilder b, List<String> items) {
    b.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(jsonString(items.get(i)));
    }
    b.append(']');
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '<' -> b.append("\\u003c");
        case '>' -> b.append("\\u003e");
        case '&' -> b.append("\\u0026");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  // ---- snapshot section ----

  private static final int FORMAT = 1;
  private static final int MAX_MEMBERS = 1 << 16;

  /** Writes the registry for a snapshot. */
  void save(DataOutputStream out) throws IOException {
    out.writeByte(FORMAT);
    out.writeLong(clusterId);
    out.writeInt(byId.size());
    for (Member m : byId.values()) {
      out.writeLong(m.id());
      out.writeUTF(m.name());
      writeList(out, m.peerUrls());
      writeList(out, m.clientUrls());
    }
    out.writeInt(removed.size());
    for (long id : removed) {
      out.writeLong(id);
    }
  }

  /** Reads what {@link #save} wrote. */
  static Members read(DataInputStream in) throws IOException {
    int format = in.readUnsignedByte();
    if (format != FORMAT) {
      throw new IOException("unknown member registry format " + format);
    }
    long clusterId = in.readLong();
    int n = count(in);
    TreeMap<Long, Member> m = new TreeMap<>(Long::compareUnsigned);
    for (int i = 0; i < n; i++) {
      long id = in.readLong();
      m.put(id, new Member(id, in.readUTF(), readList(in), readList(in)));
    }
    int r = count(in);
    TreeSet<Long> removed = new TreeSet<>(Long::compareUnsigned);
    for (int i = 0; i < r; i++) {
      removed.add(in.readLong());
    }
    return new Members(clusterId, m, removed);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_MEMBERS) {
      throw new IOException("bad member count " + n);
    }
    return n;
  }

  private static void writeList(DataOutputStream out, List<String> items) throws IOException {
    out.writeInt(items.size());
    for (String s : items) {
      out.writeUTF(s);
    }
  }

  private static List<String> readList(DataInputStream in) throws IOException {
    int n = count(in);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Members other
        && clusterId == other.clusterId
        && byId.equals(other.byId)
        && removed.equals(other.removed);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(clusterId) * 31 + byId.hashCode();
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    byId.forEach((id, m) -> shown.put(Long.toHexString(id), m.name()));
    return "Members{cluster=" + Long.toHexString(clusterId) + ", " + shown + "}";
  }
}
