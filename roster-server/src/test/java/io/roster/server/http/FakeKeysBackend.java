package io.roster.server.http;

import io.roster.api.Action;
import io.roster.server.raft.Command;
import io.roster.server.raft.WriteReply;
import io.roster.store.Event;
import io.roster.store.Outcome;
import io.roster.store.Store;
import io.roster.store.WatchResult;
import io.roster.store.WatchSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link KeysBackend} over a real {@link Store} without Raft: commands are applied in order on
 * one "applying" thread, as the state machine would. Writes can be made to fail like a lost quorum.
 */
final class FakeKeysBackend implements KeysBackend, AutoCloseable {
  final Store store = Store.create();
  private final ExecutorService applier =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-applier"));
  private final AtomicLong raftIndex = new AtomicLong(1);
  private volatile @Nullable String unavailable;

  /** From now on writes and quorum reads fail with this error-300 cause (null: work again). */
  void failWrites(@Nullable String cause) {
    unavailable = cause;
  }

  @Override
  public CompletableFuture<WriteReply> propose(Command command) {
    String failure = unavailable;
    if (failure != null) {
      return CompletableFuture.failedFuture(new RaftUnavailableException(failure));
    }
    return CompletableFuture.supplyAsync(
        () -> {
          raftIndex.incrementAndGet();
          Outcome o = apply(command, System.currentTimeMillis() * 1_000_000L);
          Action action = o instanceof Event e ? e.action() : null;
          return new WriteReply(action, o.httpStatus(), o.index(), o.body());
        },
        applier);
  }

  private Outcome apply(Command c, long now) {
    if (c instanceof Command.Set s) {
      return store.set(s.key(), s.dir(), s.value(), s.ttlSeconds(), s.refresh(), now);
    } else if (c instanceof Command.Create s) {
      return store.create(s.key(), s.dir(), s.value(), s.unique(), s.ttlSeconds(), now);
    } else if (c instanceof Command.Update s) {
      return store.update(s.key(), s.value(), s.ttlSeconds(), s.refresh(), now);
    } else if (c instanceof Command.CompareAndSwap s) {
      return store.compareAndSwap(
          s.key(), s.prevValue(), s.prevIndex(), s.value(), s.ttlSeconds(), s.refresh(), now);
    } else if (c instanceof Command.Delete s) {
      return store.delete(s.key(), s.dir(), s.recursive(), now);
    } else if (c instanceof Command.CompareAndDelete s) {
      return store.compareAndDelete(s.key(), s.prevValue(), s.prevIndex(), now);
    }
    throw new IllegalArgumentException("unexpected command " + c);
  }

  @Override
  public Outcome get(String key, boolean recursive, boolean sorted) {
    return store.get(key, recursive, sorted, System.currentTimeMillis() * 1_000_000L);
  }

  @Override
  public CompletableFuture<Outcome> quorumGet(String key, boolean recursive, boolean sorted) {
    String failure = unavailable;
    if (failure != null) {
      return CompletableFuture.failedFuture(new RaftUnavailableException(failure));
    }
    return CompletableFuture.supplyAsync(() -> get(key, recursive, sorted), applier);
  }

  @Override
  public WatchResult watch(
      String key, boolean recursive, boolean stream, long sinceIndex, WatchSink sink) {
    return store.watch(key, recursive, stream, sinceIndex, sink);
  }

  @Override
  public long raftIndex() {
    return raftIndex.get();
  }

  @Override
  public long raftTerm() {
    return 2;
  }

  @Override
  public void close() {
    applier.shutdownNow();
  }
}
