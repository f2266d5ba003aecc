package io.roster.server.raft;

import io.roster.store.Event;
import io.roster.store.Outcome;
import io.roster.store.Store;
import io.roster.store.StoreError;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine: applies replicated {@link Command} batches to the v2 {@link Store}.
 *
 * <p><b>Time.</b> The leader prepends its wall-clock time (epoch nanoseconds) to every log entry in
 * {@link #startTransaction}. Applying an entry first advances the replicated clock to {@code
 * max(clock, stamp)}, so it never runs backwards across leaders with skewed clocks, then applies
 * the batch with that clock. TTL deadlines and expiry therefore depend only on the log: every
 * replica expires the same keys at the same index. The clock is part of the snapshot.
 *
 * <p><b>Results.</b> Domain failures (key not found, compare failed) are results, encoded with the
 * successes into the reply message; an exception from apply would mean broken hardware or a bug and
 * stops the server, as Ratis intends.
 *
 * <p><b>Snapshots.</b> {@code snapshot.<term>_<index>} holds the clock and the store's own
 * snapshot. It is written to a temporary file and atomically renamed, with Ratis's md5 beside it.
 * {@link #pause()} and {@link #reinitialize()} implement the lifecycle a follower needs when the
 * leader installs a snapshot.
 *
 * <p><b>Threads.</b> Ratis calls apply, snapshot and lifecycle methods on its state-machine updater
 * thread; reads and watches reach the current {@link #store()} from any thread.
 */
public final class RosterStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(RosterStateMachine.class);
  private static final int SNAPSHOT_MAGIC = 0x52535331; // "RSS1"

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final LongSupplier wallClockNanos;
  private final ConcurrentSkipListMap<Long, List<CompletableFuture<Void>>> appliedWaiters =
      new ConcurrentSkipListMap<>();
  private final List<Runnable> storeReplacedListeners = new CopyOnWriteArrayList<>();

  private volatile Store store = Store.create();

  private volatile Instant leaderChangedAt = Instant.now();

  /** The replicated clock; written only by the applying thread. */
  private volatile long clock;

  /**
   * @param wallClockNanos this member's clock in epoch nanoseconds; used only when this member is
   *     the leader stamping a new entry
   */
  public RosterStateMachine(LongSupplier wallClockNanos) {
    this.wallClockNanos = wallClockNanos;
  }

  /** The wall clock in epoch nanoseconds, at the best precision the JDK offers. */
  public static long systemNanos() {
    Instant now = Instant.now();
    return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
  }

  /** The store as of the last applied entry. Replaced only when a snapshot is installed. */
  public Store store() {
    return store;
  }

  /** The replicated clock: the latest leader time applied, epoch nanoseconds. */
  public long clock() {
    return clock;
  }

  /** Registers a callback run after a snapshot replaced the store (watches on the old one end). */
  public void onStoreReplaced(Runnable listener) {
    storeReplacedListeners.add(listener);
  }

  /** Completes when this member has applied the log up to {@code index}. */
  public CompletableFuture<Void> whenApplied(long index) {
    if (getLastAppliedTermIndex().getIndex() >= index) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    appliedWaiters.computeIfAbsent(index, i -> new CopyOnWriteArrayList<>()).add(f);
    long applied = getLastAppliedTermIndex().getIndex();
    if (applied >= index) {
      // The applier may have released this index between the first check and the add.
      f.complete(null);
      releaseAppliedWaiters(applied);
    }
    return f;
  }

  /** When this member last saw the leader change (for {@code /v2/stats/self}). */
  public Instant leaderChangedAt() {
    return leaderChangedAt;
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    leaderChangedAt = Instant.now();
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().startAndTransition(() -> load(storage.loadLatestSnapshot()));
  }

  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public void reinitialize() throws IOException {
    load(storage.loadLatestSnapshot());
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
    storeReplacedListeners.forEach(Runnable::run);
  }

  private void load(@Nullable SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    Path file = snapshot.getFile().getPath();
    MD5Hash expected = snapshot.getFile().getFileDigest();
    if (expected != null) {
      MD5FileUtil.verifySavedMD5(file.toFile(), expected);
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      int magic = in.readInt();
      if (magic != SNAPSHOT_MAGIC) {
        throw new IOException("not a Roster snapshot: " + file);
      }
      long snapshotClock = in.readLong();
      Store restored = Store.restore(in);
      this.clock = snapshotClock;
      this.store = restored;
    }
    setLastAppliedTermIndex(snapshot.getTermIndex());
    LOG.info("loaded snapshot {} (store index {})", file.getFileName(), store.currentIndex());
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
      out.writeInt(SNAPSHOT_MAGIC);
      out.writeLong(clock);
      store.save(out);
      out.flush();
      ch.force(true);
    }
    Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
    storage.updateLatestSnapshot(
        new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), last));
    LOG.info("snapshot {} written (store index {})", target.getName(), store.currentIndex());
    return last.getIndex();
  }

  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    ByteString content = request.getMessage().getContent();
    ByteBuffer stamp = ByteBuffer.allocate(8).putLong(0, wallClockNanos.getAsLong());
    return TransactionContext.newBuilder()
        .setStateMachine(this)
        .setClientRequest(request)
        .setLogData(ByteString.copyFrom(stamp).concat(content))
        .build();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    ByteString data = entry.getStateMachineLogEntry().getLogData();
    List<WriteReply> replies;
    try {
      long stamp = data.substring(0, 8).asReadOnlyByteBuffer().getLong();
      List<Command> batch = CommandCodec.decodeBatch(data.substring(8).newInput());
      long now = Math.max(clock, stamp);
      clock = now;
      replies = new ArrayList<>(batch.size());
      Store s = store;
      for (Command c : batch) {
        replies.add(apply(s, c, now));
      }
    } catch (IOException | RuntimeException e) {
      // An undecodable entry is corruption or a bug; Ratis treats a failed apply as fatal.
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      releaseAppliedWaiters(entry.getIndex());
      return CompletableFuture.failedFuture(e);
    }
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    releaseAppliedWaiters(entry.getIndex());
    return CompletableFuture.completedFuture(
        Message.valueOf(ByteString.copyFrom(CommandCodec.encodeReplies(replies))));
  }

  /** Applies one command; public for the single-writer tests of the codec and commands. */
  static WriteReply apply(Store s, Command c, long now) {
    Outcome o;
    if (c instanceof Command.Set x) {
      o = s.set(x.key(), x.dir(), x.value(), x.ttlSeconds(), x.refresh(), now);
    } else if (c instanceof Command.Create x) {
      o = s.create(x.key(), x.dir(), x.value(), x.unique(), x.ttlSeconds(), now);
    } else if (c instanceof Command.Update x) {
      o = s.update(x.key(), x.value(), x.ttlSeconds(), x.refresh(), now);
    } else if (c instanceof Command.CompareAndSwap x) {
      o =
          s.compareAndSwap(
              x.key(), x.prevValue(), x.prevIndex(), x.value(), x.ttlSeconds(), x.refresh(), now);
    } else if (c instanceof Command.Delete x) {
      o = s.delete(x.key(), x.dir(), x.recursive(), now);
    } else if (c instanceof Command.CompareAndDelete x) {
      o = s.compareAndDelete(x.key(), x.prevValue(), x.prevIndex(), now);
    } else if (c instanceof Command.Expire) {
      List<Event> expired = s.deleteExpired(now);
      LOG.debug("expired {} node(s) at {}", expired.size(), now);
      return new WriteReply(null, 200, s.currentIndex(), new byte[0]);
    } else {
      throw new IllegalArgumentException("unknown command " + c);
    }
    return toReply(o);
  }

  static WriteReply toReply(Outcome o) {
    if (o instanceof Event e) {
      return new WriteReply(e.action(), e.httpStatus(), e.index(), e.body());
    }
    if (o instanceof StoreError err) {
      return new WriteReply(null, err.httpStatus(), err.index(), err.body());
    }
    throw new IllegalStateException("a write produced " + o);
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      CommandCodec.ReadRequest read = CommandCodec.decodeRead(request.getContent().newInput());
      Outcome o =
          store.get(read.key(), read.recursive(), read.sorted(), wallClockNanos.getAsLong());
      return CompletableFuture.completedFuture(
          Message.valueOf(ByteString.copyFrom(CommandCodec.encodeReadResult(o))));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Message> queryStale(Message request, long minIndex) {
    return whenApplied(minIndex).thenCompose(v -> query(request));
  }

  private void releaseAppliedWaiters(long applied) {
    Map.Entry<Long, List<CompletableFuture<Void>>> first;
    while ((first = appliedWaiters.firstEntry()) != null && first.getKey() <= applied) {
      if (appliedWaiters.remove(first.getKey(), first.getValue())) {
        first.getValue().forEach(f -> f.complete(null));
      }
    }
  }

  @Override
  public void close() throws IOException {
    super.close();
    appliedWaiters.values().forEach(l -> l.forEach(f -> f.cancel(false)));
    appliedWaiters.clear();
  }
}
