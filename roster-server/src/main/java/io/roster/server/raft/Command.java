package io.roster.server.raft;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A replicated mutation of the keyspace: one per client write, plus the leader's {@link Expire}.
 * Commands are validated before they are proposed; applying one is deterministic and turns every
 * domain failure into an error result. The time a command runs at is not part of it: the leader
 * stamps each log entry with its clock, and every replica applies with that stamp.
 *
 * <p>{@code ttlSeconds} null means "no TTL" (the node becomes or stays permanent).
 */
public sealed interface Command {

  /** PUT without prevExist or compare arguments. */
  record Set(String key, boolean dir, String value, @Nullable Long ttlSeconds, boolean refresh)
      implements Command {}

  /** PUT prevExist=false, or POST when {@code unique} (an in-order key under {@code key}). */
  record Create(String key, boolean dir, String value, boolean unique, @Nullable Long ttlSeconds)
      implements Command {}

  /** PUT prevExist=true. */
  record Update(String key, String value, @Nullable Long ttlSeconds, boolean refresh)
      implements Command {}

  /** PUT with prevValue and/or prevIndex; null / 0 mean "no condition". */
  record CompareAndSwap(
      String key,
      @Nullable String prevValue,
      long prevIndex,
      String value,
      @Nullable Long ttlSeconds,
      boolean refresh)
      implements Command {}

  /** DELETE without compare arguments. */
  record Delete(String key, boolean dir, boolean recursive) implements Command {}

  /** DELETE with prevValue and/or prevIndex. */
  record CompareAndDelete(String key, @Nullable String prevValue, long prevIndex)
      implements Command {}

  /** The leader's expiry tick (etcd's SYNC): expire every node due at the entry's stamped time. */
  record Expire() implements Command {}

  /**
   * A change of the member registry ({@link Members}), not of the keyspace: it takes no store
   * index. Its reply carries the members API's status and body.
   */
  sealed interface MemberCommand extends Command {}

  /** The bootstrap members, proposed by each founding member until one such entry is applied. */
  record Bootstrap(long clusterId, List<Members.Member> members) implements MemberCommand {
    public Bootstrap {
      members = List.copyOf(members);
    }
  }

  /** {@code POST /v2/members}: a new member, not started yet (no name, no client URLs). */
  record AddMember(long id, List<String> peerUrls) implements MemberCommand {
    public AddMember {
      peerUrls = List.copyOf(peerUrls);
    }
  }

  /** {@code DELETE /v2/members/<id>}. */
  record RemoveMember(long id) implements MemberCommand {}

  /** {@code PUT /v2/members/<id>}: new peer URLs. */
  record UpdateMember(long id, List<String> peerUrls) implements MemberCommand {
    public UpdateMember {
      peerUrls = List.copyOf(peerUrls);
    }
  }

  /** A started member's attributes (etcd's publish): its name and client URLs. */
  record Publish(long id, String name, List<String> clientUrls) implements MemberCommand {
    public Publish {
      clientUrls = List.copyOf(clientUrls);
    }
  }
}
