package io.roster.server.raft;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.jspecify.annotations.Nullable;

/**
 * Sends write entries straight into this member's Raft server while it is the ready leader, and
 * through the {@code RaftClient} (which finds the leader and retries) otherwise.
 *
 * <p><b>Why.</b> On the leader, a {@code RaftClient} write loops back over gRPC into the same JVM:
 * the request is serialised, framed as HTTP/2, passed between Netty and gRPC executor threads on
 * the client side and again on the server side, and the reply makes the same trip back. Under a PUT
 * load on a 2-core machine JFR put those gRPC threads at about a quarter of the server's CPU, and
 * their code was a large part of what the JIT had to compile before the server got fast (C2 alone
 * took about 30% of the machine in the first ten seconds). {@link
 * RaftClientAsynchronousProtocol#submitClientRequestAsync} takes the same {@link RaftClientRequest}
 * in process: the same {@code startTransaction}, log append, fsync, commit, apply and reply. Only
 * the transport is gone, so durability and ordering are those of the client path: the reply still
 * comes only after the entry is durable on a quorum and applied.
 *
 * <p><b>Threads.</b> Ratis's submit blocks its caller until its client executor has appended the
 * entry, and it completes the reply on the state-machine updater thread while holding the server's
 * lock. Both the submit and the reply therefore run on one dedicated thread here, never on a Netty
 * event loop and never under Ratis's lock. Its queue holds at most two tasks per entry in flight,
 * so the gateway's {@code MAX_IN_FLIGHT} bounds it. After {@link #close} tasks are dropped and
 * their callers time out; the HTTP server is closed first, so none are waiting by then.
 *
 * <p><b>When leadership moves.</b> A reply of {@code LeaderNotReadyException} or {@code
 * LeaderSteppingDownException} means Ratis refused the request before appending it, so the entry is
 * sent again through the client, which forwards it to whoever leads. {@code NotLeaderException} is
 * ambiguous: Ratis gives it both to requests it refused and to requests it appended but could not
 * commit before stepping down, which a new leader may still commit. The client path resends those
 * under the same call id and relies on the retry cache; a local request has no such resend, and
 * sending it again under a new id could apply it twice. So it fails, like a timeout (the caller
 * answers error 300, and the write may still be applied), as etcd's in-flight proposals fail when
 * its leader changes.
 */
final class LocalSubmitter implements AutoCloseable {
  private final BooleanSupplier isReadyLeader;
  private final RaftClientAsynchronousProtocol server;
  private final RaftGroupMemberId member;
  private final Function<Message, CompletableFuture<RaftClientReply>> forward;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final ExecutorService thread;
  private final LongAdder local = new LongAdder();
  private final LongAdder forwarded = new LongAdder();

  /**
   * @param isReadyLeader whether this member leads and has committed an entry in its term
   * @param server this member's Raft server
   * @param member this member's id in the group the entries are for
   * @param forward sends an entry through the Raft client
   */
  LocalSubmitter(
      BooleanSupplier isReadyLeader,
      RaftClientAsynchronousProtocol server,
      RaftGroupMemberId member,
      Function<Message, CompletableFuture<RaftClientReply>> forward) {
    this.isReadyLeader = isReadyLeader;
    this.server = server;
    this.member = member;
    this.forward = forward;
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "roster-raft-submit");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.DiscardPolicy());
  }

  /**
   * Proposes one log entry. Never blocks; the reply completes on this submitter's thread (local) or
   * a Raft client thread (forwarded), after the entry is committed and applied, or exceptionally.
   */
  CompletableFuture<RaftClientReply> send(Message message) {
    if (!isReadyLeader.getAsBoolean()) {
      return forward(message);
    }
    CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
    thread.execute(() -> submit(message, result));
    return result;
  }

  private void submit(Message message, CompletableFuture<RaftClientReply> result) {
    CompletableFuture<RaftClientReply> submitted =
        submitLocally(message, RaftClientRequest.writeRequestType());
    local.increment();
    submitted.whenCompleteAsync(
        (reply, error) -> {
          if (error == null && refusedBeforeAppend(reply)) {
            forward(message)
                .whenComplete(
                    (r, e) -> {
                      if (e != null) {
                        result.completeExceptionally(e);
                      } else {
                        result.complete(r);
                      }
                    });
          } else if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(reply);
          }
        },
        thread);
  }

  /**
   * Asks this member's own server for a linearizable read of {@code message}: Ratis takes a
   * ReadIndex (on a follower, from the leader), waits until this member has applied it, then calls
   * the state machine's {@code query}. No Raft client, no gRPC loopback, and one failed read fails
   * only itself. The reply completes on a Ratis thread; a refused read (no leader yet) comes back
   * as an unsuccessful reply for the caller to retry.
   */
  CompletableFuture<RaftClientReply> read(Message message) {
    CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
    thread.execute(
        () -> {
          submitLocally(message, RaftClientRequest.readRequestType())
              .whenComplete(
                  (reply, error) -> {
                    if (error != null) {
                      result.completeExceptionally(error);
                    } else {
                      result.complete(reply);
                    }
                  });
        });
    return result;
  }

  /** Hands a request of {@code type} to this member's own server. Submitter thread. */
  private CompletableFuture<RaftClientReply> submitLocally(
      Message message, RaftClientRequest.Type type) {
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(member.getPeerId())
            .setGroupId(member.getGroupId())
            .setCallId(callIds.incrementAndGet())
            .setMessage(message)
            .setType(type)
            .build();
    try {
      return server.submitClientRequestAsync(request);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static boolean refusedBeforeAppend(@Nullable RaftClientReply reply) {
    return reply != null
        && !reply.isSuccess()
        && (reply.getLeaderNotReadyException() != null
            || reply.getLeaderSteppingDownException() != null);
  }

  private CompletableFuture<RaftClientReply> forward(Message message) {
    forwarded.increment();
    try {
      return forward.apply(message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Entries submitted to the local server since start. */
  long localSubmits() {
    return local.sum();
  }

  /** Entries sent through the Raft client since start (not leader, or refused locally). */
  long forwarded() {
    return forwarded.sum();
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
