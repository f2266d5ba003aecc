package io.roster.server.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Member and cluster ids computed as etcd computes them ({@code membership.NewMember}, {@code
 * RaftCluster.genID}): a member's id is the first 8 bytes (big-endian) of SHA-1 over its sorted
 * peer URLs concatenated and the cluster token; the cluster id is the first 8 bytes of SHA-1 over
 * the sorted member ids. The same flags therefore give the same ids as etcd, and the ids are stable
 * across restarts without being stored.
 */
public final class MemberIds {
  private MemberIds() {}

  /** The id of a member bootstrapped with these peer URLs in the cluster named by {@code token}. */
  public static long memberId(Collection<String> peerUrls, String token) {
    List<String> sorted = new ArrayList<>(peerUrls);
    sorted.sort(null);
    StringBuilder b = new StringBuilder();
    sorted.forEach(b::append);
    b.append(token);
    return first8(sha1(b.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** The cluster id of these members. */
  public static long clusterId(Collection<Long> memberIds) {
    List<Long> sorted = new ArrayList<>(memberIds);
    sorted.sort(Long::compareUnsigned);
    ByteBuffer buf = ByteBuffer.allocate(8 * sorted.size());
    sorted.forEach(buf::putLong);
    return first8(sha1(buf.array()));
  }

  /** etcd's spelling of an id: lowercase hex, no leading zeros. */
  public static String hex(long id) {
    return Long.toHexString(id);
  }

  private static byte[] sha1(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-1", e);
    }
  }

  private static long first8(byte[] hash) {
    return ByteBuffer.wrap(hash, 0, 8).getLong();
  }
}
