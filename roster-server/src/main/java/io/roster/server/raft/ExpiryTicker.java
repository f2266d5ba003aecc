package io.roster.server.raft;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's expiry tick (etcd's {@code SYNC}). Every {@code period}, when this member is the
 * ready leader and any node has a TTL, it proposes one {@link Command.Expire} if the earliest
 * expiration has passed on the leader's clock or if no entry has carried the leader's time for a
 * period. The entry carries the leader's time; applying it expires the same nodes at the same
 * indexes on every replica. A key therefore lives between its TTL and about one period more (plus
 * commit latency), as in etcd.
 *
 * <p>Ticking while TTLs are pending, even with nothing due, keeps the replicated clock within a
 * period of the leader's: a longer gap between two entries' times then means that nobody could
 * commit (no leader, or a stalled one), which is what lets the state machine give TTLs that time
 * back (see {@link RosterStateMachine}).
 *
 * <p>The check is O(1) ({@code Store.nextExpiration}); at most one expiry proposal is in flight, so
 * a slow disk never piles them up. Without a leader nothing expires.
 */
public final class ExpiryTicker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryTicker.class);

  private final ScheduledExecutorService timer;
  private final AtomicBoolean inFlight = new AtomicBoolean();

  /**
   * @param isReadyLeader whether this member is the leader and has committed in its term
   * @param nextExpiration the store's earliest pending expiration (epoch nanoseconds)
   * @param wallClockNanos this member's clock
   * @param replicatedClock the time of the last applied entry (epoch nanoseconds)
   * @param propose proposes a command through Raft
   */
  public ExpiryTicker(
      long periodMillis,
      BooleanSupplier isReadyLeader,
      java.util.function.Supplier<OptionalLong> nextExpiration,
      LongSupplier wallClockNanos,
      LongSupplier replicatedClock,
      Function<Command, CompletableFuture<WriteReply>> propose) {
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "roster-expiry");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            if (!isReadyLeader.getAsBoolean() || inFlight.get()) {
              return;
            }
            OptionalLong next = nextExpiration.get();
            long now = wallClockNanos.getAsLong();
            if (next.isEmpty()
                || (next.getAsLong() > now
                    && now - replicatedClock.getAsLong()
                        < TimeUnit.MILLISECONDS.toNanos(periodMillis))) {
              return;
            }
            inFlight.set(true);
            propose
                .apply(new Command.Expire())
                .whenComplete(
                    (r, e) -> {
                      inFlight.set(false);
                      if (e != null) {
                        LOG.debug("expiry proposal failed", e);
                      }
                    });
          } catch (RuntimeException e) {
            inFlight.set(false);
            LOG.warn("expiry tick failed", e);
          }
        },
        periodMillis,
        periodMillis,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
