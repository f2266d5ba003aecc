package io.roster.server.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this member is, fixed when its data directory is created: member id, cluster id and Raft
 * group. As in etcd, the bootstrap flags ({@code --initial-cluster}, {@code
 * --initial-advertise-peer-urls}, {@code --initial-cluster-token}) only matter the first time; a
 * restart uses what the data directory says, so a changed flag can neither give the member a new id
 * that its Raft log does not know, nor silently start an empty cluster beside the old data.
 *
 * @param memberId this member's id
 * @param clusterId the cluster's id
 * @param groupId the Raft group's UUID
 */
public record MemberIdentity(long memberId, long clusterId, UUID groupId) {
  private static final Logger LOG = LoggerFactory.getLogger(MemberIdentity.class);
  private static final String FILE = "member.properties";

  /**
   * The identity stored in {@code dataDir}, or {@code fromFlags} stored there now if the directory
   * is new.
   *
   * @param clusterState {@code new} or {@code existing}; a joining member's cluster id from the
   *     flags is provisional, the replicated member registry has the real one
   * @throws IOException if the file cannot be read or written, or is malformed
   */
  public static MemberIdentity loadOrCreate(
      Path dataDir, MemberIdentity fromFlags, String clusterState) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      MemberIdentity stored = read(file);
      if (!stored.equals(fromFlags)) {
        LOG.warn(
            "the bootstrap flags describe member {} of cluster {}, but {} holds member {} of"
                + " cluster {}; using the data directory (bootstrap flags only count once)",
            MemberIds.hex(fromFlags.memberId()),
            MemberIds.hex(fromFlags.clusterId()),
            dataDir,
            MemberIds.hex(stored.memberId()),
            MemberIds.hex(stored.clusterId()));
      }
      return stored;
    }
    Files.createDirectories(dataDir);
    write(file, fromFlags);
    return fromFlags;
  }

  private static MemberIdentity read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    try {
      return new MemberIdentity(
          Long.parseUnsignedLong(required(p, "member-id"), 16),
          Long.parseUnsignedLong(required(p, "cluster-id"), 16),
          UUID.fromString(required(p, "raft-group")));
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed " + file + ": " + e.getMessage(), e);
    }
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }

  private static void write(Path file, MemberIdentity id) throws IOException {
    Properties p = new Properties();
    p.setProperty("member-id", MemberIds.hex(id.memberId()));
    p.setProperty("cluster-id", MemberIds.hex(id.clusterId()));
    p.setProperty("raft-group", id.groupId().toString());
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "Roster member identity: written once, when the data directory was created");
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
