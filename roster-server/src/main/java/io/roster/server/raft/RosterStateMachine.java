package io.roster.server.raft;

import io.roster.api.ErrorCode;
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
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * <p><b>TTLs across stalls.</b> etcd v2 expires every overdue key as soon as a new leader ticks, so
 * an election (or a restart of the whole cluster) mass-expires keys whose owners could not refresh
 * them while nothing could commit. Here, while any TTL is pending, the leader stamps an entry once
 * a tick ({@link #TICK_NANOS}) has passed without one ({@link ExpiryTicker}), so a live leader's
 * entries are at most about {@link #LIVE_GAP_NANOS} apart. When an entry's time is more than {@link
 * #STALL_NANOS} past the previous entry's, nobody could commit in between, and before the entry is
 * applied every pending expiration is postponed by the gap less {@link #LIVE_GAP_NANOS}. This is
 * etcd v3's lease renewal on promotion, measured rather than assumed, and it is deterministic: it
 * depends only on the entries' times, so every replica postpones the same keys by the same amount
 * at the same index. A stall shorter than {@link #STALL_NANOS} (a quick failover) is not given
 * back; owners that refresh at a third of their TTL, as the discovery client does, ride it out.
 *
 * <p><b>Members.</b> The {@link Members} registry is state-machine state too: membership commands
 * in a batch change it instead of the store and take no store index; it is saved in snapshots.
 *
 * <p><b>Results.</b> Domain failures (key not found, compare failed) are results, encoded with the
 * successes into the reply message; an exception from apply would mean broken hardware or a bug and
 * stops the server, as Ratis intends.
 *
 * <p><b>Snapshots.</b> {@code snapshot.<term>_<index>} holds the clock, the member registry and the
 * store's own snapshot (files without the registry, from the first release, still load). Installing
 * a snapshot from the leader replaces the store; watches on the replaced store are ended (their
 * clients reconnect and continue from their last index on the new one) because the events between
 * the two states were never applied here. It is written to a temporary file and atomically renamed,
 * with Ratis's md5 beside it. {@link #pause()} and {@link #reinitialize()} implement the lifecycle
 * a follower needs when the leader installs a snapshot.
 *
 * <p><b>Threads.</b> Ratis calls apply, snapshot and lifecycle methods on its state-machine updater
 * thread; reads and watches reach the current {@link #store()} from any thread.
 */
public final class RosterStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(RosterStateMachine.class);
  private static final int SNAPSHOT_MAGIC_V1 = 0x52535331; // "RSS1": clock, store
  private static final int SNAPSHOT_MAGIC = 0x52535332; // "RSS2": clock, members, store

  /** The leader's expiry tick period: entries carry its time at least this often under TTLs. */
  static final long TICK_NANOS = 500_000_000L;

  /**
   * A live leader checks every tick and stamps an entry once a tick has passed without one, so
   * entries under TTLs are at most about two ticks apart; a gap past this means nobody could
   * commit, and TTLs get the time beyond two ticks back.
   */
  static final long STALL_NANOS = 4 * TICK_NANOS;

  /** The spacing between entries a live leader may leave; not given back. */
  static final long LIVE_GAP_NANOS = 2 * TICK_NANOS;

  private static final String TMP_SUFFIX = ".tmp";

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final LongSupplier wallClockNanos;
  private final ConcurrentSkipListMap<Long, List<CompletableFuture<Void>>> appliedWaiters =
      new ConcurrentSkipListMap<>();
  private final ConcurrentHashMap<Long, CompletableFuture<List<WriteReply>>> awaiting =
      new ConcurrentHashMap<>();
  private final long incarnation = new SecureRandom().nextLong();
  private final ExecutorService handoff =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "roster-apply-handoff");
            t.setDaemon(true);
            return t;
          });

  private volatile Store store = Store.create();
  private volatile Members members = Members.EMPTY;
  private volatile long postponedNanos;
  private volatile int installedSnapshots;
  private volatile @Nullable File smDir;

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

  /** The member registry as of the last applied entry. */
  public Members members() {
    return members;
  }

  /** Total time TTLs were postponed for stalls since this member started (for metrics, tests). */
  public long postponedNanos() {
    return postponedNanos;
  }

  /** Snapshots installed from the leader since this member started. */
  public int installedSnapshots() {
    return installedSnapshots;
  }

  /** The replicated clock: the latest leader time applied, epoch nanoseconds. */
  public long clock() {
    return clock;
  }

  /**
   * A random id for this run of this member, carried by the batches it proposes; with a per-run
   * sequence number it names a batch uniquely across restarts.
   */
  public long incarnation() {
    return incarnation;
  }

  /**
   * Registers for the results of this member's batch number {@code sequence}; the future completes
   * with one reply per command when this member applies the entry. Call {@link #forgetResults} when
   * giving up.
   */
  public CompletableFuture<List<WriteReply>> expectResults(long sequence) {
    CompletableFuture<List<WriteReply>> f = new CompletableFuture<>();
    awaiting.put(sequence, f);
    return f;
  }

  /** Stops waiting for a batch's results (it failed or timed out). */
  public void forgetResults(long sequence) {
    awaiting.remove(sequence);
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
    this.smDir = raftStorage.getStorageDir().getStateMachineDir();
    deleteStaleTemporaries(raftStorage.getStorageDir().getStateMachineDir().toPath());
    getLifeCycle()
        .startAndTransition(
            () ->
                load(
                    storage.loadLatestSnapshot(),
                    raftStorage.getStorageDir().getStateMachineDir()));
  }

  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public void reinitialize() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot == null) {
      File dir = storageDir();
      String[] files = dir.list();
      IOException e =
          new IOException(
              "reinitialize: no readable snapshot after a snapshot install in "
                  + dir
                  + ": "
                  + (files == null ? "unreadable" : String.join(", ", files)));
      LOG.error("cannot reload the state machine", e);
      throw e;
    }
    Store replaced = store;
    load(snapshot, storageDir());
    int ended = replaced.endWatches();
    installedSnapshots++;
    LOG.info("installed snapshot {}; ended {} watch(es) on the replaced state", snapshot, ended);
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  private File storageDir() throws IOException {
    File dir = smDir;
    if (dir == null) {
      throw new IOException("state machine not initialized");
    }
    return dir;
  }

  private static void deleteStaleTemporaries(Path smDir) throws IOException {
    if (!Files.isDirectory(smDir)) {
      return;
    }
    try (var files = Files.list(smDir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().endsWith(TMP_SUFFIX)) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /**
   * Loads a snapshot. Ratis answers "no snapshot" also when the newest one is unreadable; then a
   * snapshot file exists and starting empty would serve an empty store over a purged log, so that
   * fails instead.
   */
  private void load(@Nullable SingleFileSnapshotInfo snapshot, File smDir) throws IOException {
    if (snapshot == null) {
      File[] existing =
          smDir.listFiles(
              f -> SimpleStateMachineStorage.SNAPSHOT_REGEX.matcher(f.getName()).matches());
      if (existing != null && existing.length > 0) {
        throw new IOException(
            "snapshot files exist in "
                + smDir
                + " but none could be read; refusing to start empty");
      }
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
      if (magic != SNAPSHOT_MAGIC && magic != SNAPSHOT_MAGIC_V1) {
        throw new IOException("not a Roster snapshot: " + file);
      }
      long snapshotClock = in.readLong();
      Members restoredMembers = magic == SNAPSHOT_MAGIC_V1 ? Members.EMPTY : Members.read(in);
      Store restored = Store.restore(in);
      this.clock = snapshotClock;
      this.members = restoredMembers;
      this.store = restored;
    }
    setLastAppliedTermIndex(snapshot.getTermIndex());
    releaseAppliedWaiters(snapshot.getIndex());
    LOG.info("loaded snapshot {} (store index {})", file.getFileName(), store.currentIndex());
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last.getIndex() < 0) {
      return -1;
    }
    File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Path tmp = target.toPath().resolveSibling(target.getName() + TMP_SUFFIX);
    MessageDigest md5 = MD5FileUtil.newMD5();
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      DataOutputStream out =
          new DataOutputStream(
              new BufferedOutputStream(
                  new DigestOutputStream(Channels.newOutputStream(ch), md5), 1 << 16));
      out.writeInt(SNAPSHOT_MAGIC);
      out.writeLong(clock);
      members.save(out);
      store.save(out);
      out.flush();
      ch.force(true);
    }
    Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE);
    MD5Hash digest = MD5Hash.newInstance(md5.digest());
    MD5FileUtil.saveMD5File(target, digest);
    try (FileChannel dir = FileChannel.open(target.toPath().getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
    storage.updateLatestSnapshot(
        new SingleFileSnapshotInfo(new FileInfo(target.toPath(), digest), last));
    LOG.info("snapshot {} written (store index {})", target.getName(), store.currentIndex());
    return last.getIndex();
  }

  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    ByteString content = request.getMessage().getContent();
    CommandCodec.decodeBatch(content.newInput()); // validate before replicating
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
    long stamp;
    CommandCodec.Batch batch;
    try {
      stamp = data.substring(0, 8).asReadOnlyByteBuffer().getLong();
      batch = CommandCodec.decodeBatch(data.substring(8).newInput());
    } catch (IOException | RuntimeException e) {
      // Entries are validated before they are appended: this is corruption. Ratis stops the
      // division when apply throws; the daemon's watchdog then stops the member.
      throw new IllegalStateException("undecodable log entry at " + entry.getIndex(), e);
    }
    Store s = store;
    long gap = stamp - clock;
    if (clock != 0 && gap > STALL_NANOS) {
      // Nobody could commit (and so nobody could refresh a TTL) for the gap; give TTLs that time
      // back, less the spacing that a live leader leaves between entries anyway.
      if (s.postponeExpirations(gap - LIVE_GAP_NANOS) > 0) {
        postponedNanos += gap - LIVE_GAP_NANOS;
        LOG.info(
            "no entry for {} ms before index {}: pending TTLs postponed by {} ms",
            gap / 1_000_000,
            entry.getIndex(),
            (gap - LIVE_GAP_NANOS) / 1_000_000);
      }
    }
    long now = Math.max(clock, stamp);
    clock = now;
    List<WriteReply> replies = new ArrayList<>(batch.commands().size());
    for (Command c : batch.commands()) {
      if (c instanceof Command.MemberCommand mc) {
        Members.Applied applied = members.apply(mc, s.currentIndex());
        members = applied.members();
        replies.add(applied.reply());
      } else {
        replies.add(applySafely(s, c, now));
      }
    }
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    if (batch.origin() == incarnation) {
      CompletableFuture<List<WriteReply>> waiting = awaiting.remove(batch.sequence());
      if (waiting != null) {
        handoff.execute(() -> waiting.complete(replies));
      }
    }
    releaseAppliedWaiters(entry.getIndex());
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  /**
   * Applies one command; a runtime failure (a bug: the store rejects bad arguments before it
   * changes anything, identically on every replica) becomes error 300 for that command alone.
   */
  private static WriteReply applySafely(Store s, Command c, long now) {
    try {
      return apply(s, c, now);
    } catch (RuntimeException e) {
      LOG.error("applying {} failed", c, e);
      StoreError err =
          new StoreError(ErrorCode.RAFT_INTERNAL, "etcdserver: internal error applying command", 0);
      return new WriteReply(null, err.httpStatus(), 0, err.body());
    }
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

  /**
   * A linearizable read has reached this member: Ratis calls this once this member has applied at
   * least the read index. The caller then reads the local store, which can only be newer.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      CommandCodec.decodeRead(request.getContent().newInput());
      return CompletableFuture.completedFuture(Message.EMPTY);
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
      List<CompletableFuture<Void>> due = first.getValue();
      if (appliedWaiters.remove(first.getKey(), due)) {
        handoff.execute(() -> due.forEach(f -> f.complete(null)));
      }
    }
  }

  @Override
  public void close() throws IOException {
    super.close();
    appliedWaiters.values().forEach(l -> l.forEach(f -> f.cancel(false)));
    appliedWaiters.clear();
    awaiting.values().forEach(f -> f.cancel(false));
    awaiting.clear();
    handoff.shutdown();
  }
}
