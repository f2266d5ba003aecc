package io.roster.server.raft;

import io.roster.server.http.KeysBackend;
import io.roster.server.http.RaftUnavailableException;
import io.roster.store.Outcome;
import io.roster.store.WatchResult;
import io.roster.store.WatchSink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys API's way into Raft: group commit of writes, linearizable reads, local reads.
 *
 * <p><b>Group commit.</b> One Raft entry costs a disk sync and a round of replication whatever it
 * holds, so writes that arrive together share one entry. Proposals queue here; while fewer than
 * {@link #MAX_IN_FLIGHT} entries are outstanding, the whole queue (up to {@link #MAX_BATCH}
 * commands) leaves as one batch. Under light load a write leaves at once, alone; under heavy load
 * batches grow by themselves, dividing the per-entry cost. Each command still gets its own result,
 * and the batch is acknowledged only after it is committed (durable on a quorum) and applied, so
 * batching changes neither durability nor order: a batch is one log entry, applied atomically in
 * log order on every replica.
 *
 * <p><b>Transport.</b> While this member is the ready leader, batches go straight into its Raft
 * server ({@link LocalSubmitter}); otherwise through the {@link RaftClient}, which forwards them to
 * the leader. Both give the same commit, durability and apply; the local way skips a gRPC round
 * trip to ourselves.
 *
 * <p><b>Bounds.</b> At most {@link #MAX_QUEUED} commands wait; beyond that a proposal fails at once
 * with error 300 ("too many requests") instead of queueing without bound. Every proposal and quorum
 * read completes within the request timeout (etcd: 5 s + 2 × election timeout), with error 300 if
 * it could not be committed in time; such a write may still be applied later, as in etcd.
 *
 * <p><b>Read your writes.</b> A reply carries the log index of its entry; the proposal completes
 * only when this member has applied that index, so a write acknowledged by any member is visible to
 * its next local read.
 */
public final class RaftGateway implements KeysBackend, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftGateway.class);

  static final int MAX_IN_FLIGHT = 4;
  static final int MAX_BATCH = 1024;
  static final int MAX_BATCH_BYTES = 16 << 20;
  static final int MAX_QUEUED = 20_000;

  private record Pending(Command command, int size, CompletableFuture<WriteReply> result) {}

  private final RaftServer.Division division;
  private final RosterStateMachine stateMachine;
  private final RaftClient client;
  private final LocalSubmitter submitter;
  private final Duration requestTimeout;
  private final LongSupplier wallClockNanos;

  private final Object lock = new Object();

  /**
   * @GuardedBy("lock")
   */
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  /**
   * @GuardedBy("lock")
   */
  private int inFlight;

  /**
   * @GuardedBy("lock")
   */
  private boolean closed;

  private final java.util.concurrent.atomic.LongAdder batchesSent =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder commandsSent =
      new java.util.concurrent.atomic.LongAdder();

  public RaftGateway(
      RaftServer.Division division,
      RosterStateMachine stateMachine,
      RaftClient client,
      Duration requestTimeout,
      LongSupplier wallClockNanos) {
    this.division = division;
    this.stateMachine = stateMachine;
    this.client = client;
    this.submitter =
        new LocalSubmitter(
            () -> division.getInfo().isLeader() && division.getInfo().isLeaderReady(),
            division.getRaftServer(),
            division.getMemberId(),
            message -> client.async().send(message));
    this.requestTimeout = requestTimeout;
    this.wallClockNanos = wallClockNanos;
  }

  @Override
  public CompletableFuture<WriteReply> propose(Command command) {
    CompletableFuture<WriteReply> result = new CompletableFuture<>();
    int size = sizeOf(command);
    synchronized (lock) {
      if (closed) {
        result.completeExceptionally(new RaftUnavailableException("etcdserver: server stopped"));
        return result;
      }
      if (queue.size() >= MAX_QUEUED) {
        result.completeExceptionally(new RaftUnavailableException("etcdserver: too many requests"));
        return result;
      }
      queue.add(new Pending(command, size, result));
    }
    drain();
    return result
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(RaftGateway::mapFailure);
  }

  private static int sizeOf(Command c) {
    if (c instanceof Command.Set s) {
      return s.key().length() + s.value().length() + 32;
    } else if (c instanceof Command.Create s) {
      return s.key().length() + s.value().length() + 32;
    } else if (c instanceof Command.Update s) {
      return s.key().length() + s.value().length() + 32;
    } else if (c instanceof Command.CompareAndSwap s) {
      String prev = s.prevValue();
      return s.key().length() + s.value().length() + (prev == null ? 0 : prev.length()) + 48;
    }
    return 64;
  }

  private void drain() {
    while (true) {
      List<Pending> batch;
      synchronized (lock) {
        if (inFlight >= MAX_IN_FLIGHT || queue.isEmpty()) {
          return;
        }
        batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
        int bytes = 0;
        while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
          Pending next = queue.peek();
          if (!batch.isEmpty() && bytes + next.size() > MAX_BATCH_BYTES) {
            break;
          }
          bytes += next.size();
          batch.add(queue.poll());
        }
        inFlight++;
      }
      send(batch);
    }
  }

  private void send(List<Pending> batch) {
    batchesSent.increment();
    commandsSent.add(batch.size());
    List<Command> commands = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      commands.add(p.command());
    }
    Message message = Message.valueOf(ByteString.copyFrom(CommandCodec.encodeBatch(commands)));
    submitter
        .send(message)
        .thenCompose(
            reply ->
                stateMachine
                    .whenApplied(reply.getLogIndex())
                    .thenApply(v -> decode(reply, batch.size())))
        .whenComplete(
            (replies, error) -> {
              synchronized (lock) {
                inFlight--;
              }
              if (error != null) {
                RaftUnavailableException failure = unavailable(error);
                batch.forEach(p -> p.result().completeExceptionally(failure));
              } else {
                for (int i = 0; i < batch.size(); i++) {
                  batch.get(i).result().complete(replies.get(i));
                }
              }
              drain();
            });
  }

  private static List<WriteReply> decode(RaftClientReply reply, int expected) {
    if (!reply.isSuccess()) {
      throw new CompletionException(
          reply.getException() != null
              ? reply.getException()
              : new IOException("raft reply not successful"));
    }
    try {
      List<WriteReply> replies =
          CommandCodec.decodeReplies(reply.getMessage().getContent().newInput());
      if (replies.size() != expected) {
        throw new IOException("expected " + expected + " replies, got " + replies.size());
      }
      return replies;
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  private static RaftUnavailableException unavailable(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RaftUnavailableException r) {
      return r;
    }
    if (cause instanceof TimeoutException) {
      return new RaftUnavailableException("etcdserver: request timed out", cause);
    }
    LOG.debug("raft request failed", cause);
    return new RaftUnavailableException("etcdserver: request timed out", cause);
  }

  private static <T> CompletableFuture<T> mapFailure(Throwable error) {
    return CompletableFuture.failedFuture(unavailable(error));
  }

  /** The Raft group this gateway proposes to. */
  public org.apache.ratis.protocol.RaftGroupId groupId() {
    return division.getGroup().getGroupId();
  }

  /** Raft entries proposed for writes since start. */
  public long batchesSent() {
    return batchesSent.sum();
  }

  /** Write commands proposed since start; divided by {@link #batchesSent()}, the mean batch. */
  public long commandsSent() {
    return commandsSent.sum();
  }

  /** Raft entries proposed straight into this member's server, as its leader. */
  public long localSubmits() {
    return submitter.localSubmits();
  }

  /** Raft entries proposed through the Raft client (to a remote leader, or refused locally). */
  public long forwardedSubmits() {
    return submitter.forwarded();
  }

  /** Commands waiting for a batch slot. */
  public int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  @Override
  public Outcome get(String key, boolean recursive, boolean sorted) {
    return stateMachine.store().get(key, recursive, sorted, wallClockNanos.getAsLong());
  }

  @Override
  public CompletableFuture<Outcome> quorumGet(String key, boolean recursive, boolean sorted) {
    Message message =
        Message.valueOf(
            ByteString.copyFrom(
                CommandCodec.encodeRead(new CommandCodec.ReadRequest(key, recursive, sorted))));
    CompletableFuture<RaftClientReply> sent;
    try {
      sent = client.async().sendReadOnly(message);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.thenApply(RaftGateway::decodeRead)
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(RaftGateway::mapFailure);
  }

  private static Outcome decodeRead(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new CompletionException(
          reply.getException() != null
              ? reply.getException()
              : new IOException("raft reply not successful"));
    }
    try {
      return CommandCodec.decodeReadResult(reply.getMessage().getContent().newInput());
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  @Override
  public WatchResult watch(
      String key, boolean recursive, boolean stream, long sinceIndex, WatchSink sink) {
    return stateMachine.store().watch(key, recursive, stream, sinceIndex, sink);
  }

  @Override
  public long raftIndex() {
    return division.getRaftLog().getLastCommittedIndex();
  }

  @Override
  public long raftTerm() {
    return division.getInfo().getCurrentTerm();
  }

  @Override
  public void close() {
    List<Pending> abandoned;
    synchronized (lock) {
      closed = true;
      abandoned = new ArrayList<>(queue);
      queue.clear();
    }
    RaftUnavailableException stopped = new RaftUnavailableException("etcdserver: server stopped");
    abandoned.forEach(p -> p.result().completeExceptionally(stopped));
    submitter.close();
  }
}
