package io.roster.server.raft;

import com.google.errorprone.annotations.concurrent.GuardedBy;
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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys API's way into Raft: group commit of writes, linearizable reads, local reads.
 *
 * <p><b>Group commit.</b> One Raft entry costs a disk sync and a round of replication whatever it
 * holds, so writes that arrive together share one entry. Proposals queue here; while fewer than
 * {@link #MAX_IN_FLIGHT} entries are outstanding, the whole queue (up to {@link #MAX_BATCH}
 * commands or {@link #MAX_BATCH_BYTES} encoded bytes) leaves as one batch. Under light load a write
 * leaves at once, alone; under heavy load batches grow by themselves, dividing the per-entry cost.
 * A batch is one log entry, applied atomically in log order on every replica, and acknowledged only
 * after it is committed (durable on a quorum) and applied here: batching changes neither durability
 * nor order.
 *
 * <p><b>Results.</b> Each batch carries this run's incarnation id and a sequence number. When this
 * member applies the entry, the state machine hands the batch's results (one per command) back here
 * ({@link RosterStateMachine#expectResults}); the Raft reply itself is empty. So a write is
 * answered only once this member has applied it (read your writes on any member), values never
 * travel back over gRPC, and an entry that commits after a leader change is still answered with its
 * real result when it applies, rather than guessed at.
 *
 * <p><b>Transport.</b> While this member is the ready leader, batches go straight into its Raft
 * server ({@link LocalSubmitter}); otherwise through the Raft client, which forwards them to the
 * leader and is replaced if it breaks for good ({@link RaftClientHolder}).
 *
 * <p><b>Bounds and time.</b> At most {@link #MAX_QUEUED} commands wait and at most {@link
 * #MAX_QUORUM_READS} linearizable reads are outstanding; beyond that a request fails at once with
 * error 300 ("too many requests") instead of queueing without bound. Every write and quorum read
 * completes within the request timeout (etcd: 5 s + 2 × election timeout), with error 300 if it
 * could not be committed in time; such a write may still be applied later, as in etcd. A batch slot
 * is released when its results arrive or its time is up, whichever comes first; commands that timed
 * out while still queued are never sent.
 *
 * <p><b>Threads.</b> Batches are built, sent and completed on one gateway thread, never on a Ratis
 * or Netty thread; callers' futures complete there.
 */
public final class RaftGateway implements KeysBackend, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftGateway.class);

  static final int MAX_IN_FLIGHT = 4;
  static final int MAX_BATCH = 1024;
  static final int MAX_BATCH_BYTES = 1 << 20;
  static final int MAX_QUEUED = 20_000;
  static final int MAX_QUORUM_READS = 256;

  /** A queued command, already encoded: its bytes are what it weighs in a batch. */
  private record Pending(byte[] encoded, CompletableFuture<WriteReply> result) {
    int size() {
      return encoded.length;
    }
  }

  private final RaftServer.Division division;
  private final RosterStateMachine stateMachine;
  private final RaftClientHolder clients;
  private final LocalSubmitter submitter;
  private final Duration requestTimeout;
  private final LongSupplier wallClockNanos;
  private final Semaphore quorumReads = new Semaphore(MAX_QUORUM_READS);
  private final ExecutorService forwarding =
      Executors.newFixedThreadPool(
          MAX_IN_FLIGHT + 1,
          r -> {
            Thread t = new Thread(r, "roster-forward");
            t.setDaemon(true);
            return t;
          });
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "roster-gateway");
            t.setDaemon(true);
            return t;
          });

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  @GuardedBy("lock")
  private int inFlight;

  @GuardedBy("lock")
  private long nextSequence;

  @GuardedBy("lock")
  private boolean closed;

  private final LongAdder batchesSent = new LongAdder();
  private final LongAdder commandsSent = new LongAdder();

  /**
   * @param clients builds a Raft client for the group (called again if one breaks for good)
   * @param requestTimeout how long a write or quorum read may take before error 300
   */
  public RaftGateway(
      RaftServer.Division division,
      RosterStateMachine stateMachine,
      Supplier<RaftClient> clients,
      Duration requestTimeout,
      LongSupplier wallClockNanos) {
    this.division = division;
    this.stateMachine = stateMachine;
    this.clients = new RaftClientHolder(clients);
    this.submitter =
        new LocalSubmitter(
            () -> division.getInfo().isLeader() && division.getInfo().isLeaderReady(),
            division.getRaftServer(),
            division.getMemberId(),
            this::forward);
    this.requestTimeout = requestTimeout;
    this.wallClockNanos = wallClockNanos;
  }

  /**
   * Sends an entry through the Raft client, which finds the leader and retries. The blocking API is
   * used, on a small pool, rather than the client's ordered asynchronous window: in that window one
   * request that exhausts its retries (a long outage) fails every later request, sent or not, which
   * made the first writes after an outage fail although the cluster was back. A blocking call fails
   * only itself, and retries under one call id, so the leader's retry cache still applies it at
   * most once. At most {@link #MAX_IN_FLIGHT} entries are in flight, so the pool never queues more
   * than that.
   */
  private CompletableFuture<RaftClientReply> forward(Message message) {
    RaftClient client = clients.get();
    CompletableFuture<RaftClientReply> sent = new CompletableFuture<>();
    try {
      forwarding.execute(
          () -> {
            try {
              sent.complete(client.io().send(message));
            } catch (IOException | RuntimeException e) {
              sent.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      sent.completeExceptionally(e);
    }
    return sent.whenComplete(
        (reply, error) -> {
          Throwable failure = error != null ? error : reply.getException();
          if (failure != null && RaftClientHolder.breaksClient(failure)) {
            clients.replace(client);
          }
        });
  }

  @Override
  public CompletableFuture<WriteReply> propose(Command command) {
    CompletableFuture<WriteReply> result = new CompletableFuture<>();
    byte[] encoded = CommandCodec.encode(command);
    synchronized (lock) {
      if (closed) {
        result.completeExceptionally(new RaftUnavailableException("etcdserver: server stopped"));
        return result;
      }
      if (queue.size() >= MAX_QUEUED) {
        result.completeExceptionally(new RaftUnavailableException("etcdserver: too many requests"));
        return result;
      }
      queue.add(new Pending(encoded, result));
    }
    thread.execute(this::drain);
    return result
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(RaftGateway::mapFailure);
  }

  /** Sends batches while slots are free; runs on the gateway thread. */
  private void drain() {
    while (true) {
      List<Pending> batch;
      long sequence;
      synchronized (lock) {
        if (closed || inFlight >= MAX_IN_FLIGHT) {
          return;
        }
        batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
        int bytes = 0;
        while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
          Pending next = queue.peek();
          if (next.result().isDone()) {
            queue.poll(); // timed out while waiting: never send it
            continue;
          }
          if (!batch.isEmpty() && bytes + next.size() > MAX_BATCH_BYTES) {
            break;
          }
          bytes += next.size();
          batch.add(queue.poll());
        }
        if (batch.isEmpty()) {
          return;
        }
        inFlight++;
        sequence = nextSequence++;
      }
      send(batch, sequence);
    }
  }

  private void send(List<Pending> batch, long sequence) {
    batchesSent.increment();
    commandsSent.add(batch.size());
    List<byte[]> commands = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      commands.add(p.encoded());
    }
    CompletableFuture<List<WriteReply>> results = stateMachine.expectResults(sequence);
    Message message =
        Message.valueOf(
            ByteString.copyFrom(
                CommandCodec.joinBatch(stateMachine.incarnation(), sequence, commands)));
    submitter
        .send(message)
        .whenComplete(
            (reply, error) -> {
              Throwable refused = refusal(reply, error);
              if (refused != null) {
                results.completeExceptionally(refused);
              }
            });
    results
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync(
            (replies, error) -> {
              stateMachine.forgetResults(sequence);
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
            },
            thread);
  }

  /**
   * A failure that proves the entry was never appended (the state machine refused it before
   * replication); other failures are ambiguous, since the entry may still commit and apply, so the
   * batch keeps waiting for its results until its time is up.
   */
  private static @Nullable Throwable refusal(
      @Nullable RaftClientReply reply, @Nullable Throwable error) {
    Throwable failure =
        error != null || reply == null ? error : (reply.isSuccess() ? null : reply.getException());
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StateMachineException) {
        return failure;
      }
    }
    return null;
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
  public RaftGroupId groupId() {
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

  /**
   * A linearizable read: Raft's ReadIndex is taken by this member's own server (on a follower, the
   * leader confirms its index), this member waits until it has applied that index, then reads its
   * own store, which is at least as new as the read index. A read refused for want of a leader (an
   * election, a member still starting) is tried again every {@link #READ_RETRY_MILLIS} until the
   * request timeout, then fails with error 300.
   */
  @Override
  public CompletableFuture<Outcome> quorumGet(String key, boolean recursive, boolean sorted) {
    if (!quorumReads.tryAcquire()) {
      return CompletableFuture.failedFuture(
          new RaftUnavailableException("etcdserver: too many requests"));
    }
    Message message =
        Message.valueOf(
            ByteString.copyFrom(
                CommandCodec.encodeRead(new CommandCodec.ReadRequest(key, recursive, sorted))));
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    readUntil(message, key, recursive, sorted, deadline, result);
    result.whenComplete((o, e) -> quorumReads.release());
    return result
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(RaftGateway::mapFailure);
  }

  private static final long READ_RETRY_MILLIS = 50;

  private void readUntil(
      Message message,
      String key,
      boolean recursive,
      boolean sorted,
      long deadline,
      CompletableFuture<Outcome> result) {
    submitter
        .read(message)
        .whenComplete(
            (reply, error) -> {
              if (result.isDone()) {
                return;
              }
              if (error == null && reply.isSuccess()) {
                result.complete(get(key, recursive, sorted));
                return;
              }
              Throwable failure =
                  error != null
                      ? error
                      : Objects.requireNonNullElse(
                          reply.getException(), new IllegalStateException("read refused"));
              if (deadline - System.nanoTime() > TimeUnit.MILLISECONDS.toNanos(READ_RETRY_MILLIS)) {
                CompletableFuture.delayedExecutor(READ_RETRY_MILLIS, TimeUnit.MILLISECONDS)
                    .execute(() -> readUntil(message, key, recursive, sorted, deadline, result));
              } else {
                result.completeExceptionally(failure);
              }
            });
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
    forwarding.shutdownNow();
    thread.shutdown();
    clients.close();
  }
}
