package io.roster.lb.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.FakeScheduler;
import io.roster.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

final class ConnectionPoolTest {
  private final ManualClock clock = new ManualClock(0);
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private final FakeConnector connector = new FakeConnector();
  private final List<Long> waits = new ArrayList<>();
  private int overflowed;
  private int timedOut;

  private ConnectionPool<FakeConnection> pool(PoolSettings settings) {
    return ConnectionPool.newBuilder("h:1", connector, scheduler)
        .settings(settings)
        .clock(clock)
        .random(new SplittableRandom(7).split())
        .listener(
            new PoolListener() {
              @Override
              public void acquired(long waitNanos) {
                waits.add(waitNanos);
              }

              @Override
              public void overflowed() {
                overflowed++;
              }

              @Override
              public void timedOut() {
                timedOut++;
              }
            })
        .build();
  }

  private static PoolSettings small() {
    return PoolSettings.defaults().withMaxConnections(2).withMaxPending(2).withWarmUp(0);
  }

  private static Lease<FakeConnection> now(CompletableFuture<Lease<FakeConnection>> f) {
    assertThat(f).isDone();
    return f.join();
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return java.util.Objects.requireNonNull(e.getCause());
    }
  }

  @Test
  void acquire_empty_opensConnection() {
    ConnectionPool<FakeConnection> p = pool(small());

    Lease<FakeConnection> l = now(p.acquire());

    assertThat(l.connection().id).isEqualTo(1);
    assertThat(p.open()).isEqualTo(1);
    assertThat(p.leased()).isEqualTo(1);
  }

  @Test
  void release_thenAcquire_reusesLastReleasedFirst() {
    ConnectionPool<FakeConnection> p = pool(small());
    Lease<FakeConnection> a = now(p.acquire());
    Lease<FakeConnection> b = now(p.acquire());

    a.release();
    b.release();

    assertThat(now(p.acquire()).connection()).isSameAs(b.connection());
    assertThat(now(p.acquire()).connection()).isSameAs(a.connection());
    assertThat(connector.opened).hasSize(2);
  }

  @Test
  void acquire_atMax_waitsThenGetsReleasedConnection() {
    ConnectionPool<FakeConnection> p = pool(small());
    Lease<FakeConnection> a = now(p.acquire());
    now(p.acquire());

    CompletableFuture<Lease<FakeConnection>> waiting = p.acquire();
    assertThat(waiting).isNotDone();
    assertThat(p.pending()).isEqualTo(1);
    clock.advance(Duration.ofMillis(30));
    a.release();

    assertThat(now(waiting).connection()).isSameAs(a.connection());
    assertThat(p.pending()).isZero();
    assertThat(waits).contains(Duration.ofMillis(30).toNanos());
    assertThat(connector.opened).hasSize(2);
  }

  @Test
  void acquire_queueFull_failsAtOnceWithOverflow() {
    ConnectionPool<FakeConnection> p = pool(small());
    now(p.acquire());
    now(p.acquire());
    CompletableFuture<Lease<FakeConnection>> w1 = p.acquire();
    CompletableFuture<Lease<FakeConnection>> w2 = p.acquire();

    CompletableFuture<Lease<FakeConnection>> rejected = p.acquire();

    assertThat(failure(rejected))
        .isInstanceOf(PoolOverflowException.class)
        .hasMessageContaining("h:1");
    assertThat(((PoolOverflowException) failure(rejected)).endpointAtFault()).isFalse();
    assertThat(p.pending()).isEqualTo(2);
    assertThat(p.pendingHighWater()).isEqualTo(2);
    assertThat(w1).isNotDone();
    assertThat(w2).isNotDone();
    assertThat(p.overflows()).isEqualTo(1);
    assertThat(overflowed).isEqualTo(1);
  }

  @Test
  void acquire_tenTimesOverload_pendingNeverExceedsBound() {
    ConnectionPool<FakeConnection> p =
        pool(PoolSettings.defaults().withMaxConnections(4).withMaxPending(8).withWarmUp(0));
    List<CompletableFuture<Lease<FakeConnection>>> all = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      all.add(p.acquire());
      assertThat(p.pending()).isLessThanOrEqualTo(8);
      assertThat(p.open()).isLessThanOrEqualTo(4);
    }

    long overflow =
        all.stream()
            .filter(CompletableFuture::isCompletedExceptionally)
            .filter(f -> failure(f) instanceof PoolOverflowException)
            .count();
    assertThat(overflow).isEqualTo(120 - 4 - 8);
    assertThat(p.pendingHighWater()).isEqualTo(8);
  }

  @Test
  void acquire_nobodyReleases_timesOut() {
    ConnectionPool<FakeConnection> p = pool(small().withAcquireTimeout(Duration.ofMillis(200)));
    now(p.acquire());
    now(p.acquire());
    CompletableFuture<Lease<FakeConnection>> waiting = p.acquire();

    scheduler.advance(Duration.ofMillis(199));
    assertThat(waiting).isNotDone();
    scheduler.advance(Duration.ofMillis(1));

    assertThat(failure(waiting)).isInstanceOf(AcquireTimeoutException.class);
    assertThat(p.pending()).isZero();
    assertThat(p.timeouts()).isEqualTo(1);
    assertThat(timedOut).isEqualTo(1);
  }

  @Test
  void acquire_slowConnect_timesOutAndLateConnectionServesNextRequest() {
    connector.hold();
    ConnectionPool<FakeConnection> p = pool(small().withAcquireTimeout(Duration.ofMillis(100)));
    CompletableFuture<Lease<FakeConnection>> first = p.acquire();

    scheduler.advance(Duration.ofMillis(100));
    assertThat(failure(first)).isInstanceOf(AcquireTimeoutException.class);
    FakeConnection late = connector.completeNext();

    assertThat(p.idle()).isEqualTo(1);
    assertThat(now(p.acquire()).connection()).isSameAs(late);
  }

  @Test
  void acquire_connectRefused_failsWithConnectFailed() {
    connector.refuse();
    ConnectionPool<FakeConnection> p = pool(small());

    Throwable t = failure(p.acquire());

    assertThat(t).isInstanceOf(ConnectFailedException.class);
    assertThat(((ConnectFailedException) t).endpointAtFault()).isTrue();
    assertThat(p.open()).isZero();
    assertThat(p.connectFailures()).isEqualTo(1);
  }

  @Test
  void connectFailure_freesCapacity_forWaiters() {
    connector.hold();
    ConnectionPool<FakeConnection> p = pool(small());
    CompletableFuture<Lease<FakeConnection>> a = p.acquire();
    CompletableFuture<Lease<FakeConnection>> b = p.acquire();
    CompletableFuture<Lease<FakeConnection>> waiter = p.acquire();
    assertThat(p.pending()).isEqualTo(1);

    connector.held.poll().completeExceptionally(new java.net.ConnectException("refused"));

    assertThat(failure(a)).isInstanceOf(ConnectFailedException.class);
    assertThat(p.pending()).isZero();
    assertThat(connector.attempts).isEqualTo(3);
    connector.completeNext();
    connector.completeNext();
    assertThat(now(b)).isNotNull();
    assertThat(now(waiter)).isNotNull();
  }

  @Test
  void idleConnection_pastIdleTimeout_closedBySweep() {
    ConnectionPool<FakeConnection> p = pool(small().withIdleTimeout(Duration.ofSeconds(2)));
    Lease<FakeConnection> l = now(p.acquire());
    l.release();

    scheduler.advance(Duration.ofSeconds(3));

    assertThat(l.connection().isOpen()).isFalse();
    assertThat(p.open()).isZero();
    assertThat(p.idle()).isZero();
  }

  @Test
  void acquire_skipsIdleConnectionPastIdleTimeout() {
    ConnectionPool<FakeConnection> p = pool(small().withIdleTimeout(Duration.ofSeconds(60)));
    Lease<FakeConnection> l = now(p.acquire());
    l.release();
    clock.advance(Duration.ofSeconds(61));

    Lease<FakeConnection> next = now(p.acquire());

    assertThat(next.connection()).isNotSameAs(l.connection());
    assertThat(l.connection().isOpen()).isFalse();
    assertThat(p.open()).isEqualTo(1);
  }

  @Test
  void release_pastLifetime_closesInsteadOfReusing() {
    ConnectionPool<FakeConnection> p =
        pool(
            small()
                .withMaxLifetime(Duration.ofSeconds(10), 0.2)
                .withIdleTimeout(Duration.ofHours(1)));
    Lease<FakeConnection> l = now(p.acquire());
    clock.advance(Duration.ofSeconds(12));

    l.release();

    assertThat(l.connection().isOpen()).isFalse();
    assertThat(p.open()).isZero();
  }

  @Test
  void lifetime_isJittered_withinBounds() {
    ConnectionPool<FakeConnection> p =
        pool(
            PoolSettings.defaults()
                .withMaxConnections(200)
                .withWarmUp(0)
                .withIdleTimeout(Duration.ofHours(1))
                .withMaxLifetime(Duration.ofSeconds(100), 0.2));
    List<Lease<FakeConnection>> leases = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      leases.add(now(p.acquire()));
    }
    leases.forEach(Lease::release);

    clock.advance(Duration.ofSeconds(79));
    scheduler.runDue();
    scheduler.advance(Duration.ofSeconds(1));
    int afterEighty = p.open();
    scheduler.advance(Duration.ofSeconds(20));
    int afterHundred = p.open();
    scheduler.advance(Duration.ofSeconds(21));

    assertThat(afterEighty).isEqualTo(200);
    assertThat(afterHundred).isBetween(40, 160);
    assertThat(p.open()).isZero();
  }

  @Test
  void discard_closesConnection_andFreesPlace() {
    ConnectionPool<FakeConnection> p = pool(small());
    Lease<FakeConnection> l = now(p.acquire());

    l.discard();
    l.release();

    assertThat(l.connection().isOpen()).isFalse();
    assertThat(p.open()).isZero();
    assertThat(p.destroyed()).isEqualTo(1);
  }

  @Test
  void idleConnection_closedByServer_isForgotten() {
    ConnectionPool<FakeConnection> p = pool(small());
    Lease<FakeConnection> l = now(p.acquire());
    l.release();

    l.connection().closeRemotely();

    assertThat(p.open()).isZero();
    assertThat(now(p.acquire()).connection()).isNotSameAs(l.connection());
  }

  @Test
  void warmUp_opensConnectionsEagerly_upToMax() {
    ConnectionPool<FakeConnection> p = pool(small());

    p.warmUp(5);

    assertThat(p.idle()).isEqualTo(2);
    assertThat(connector.opened).hasSize(2);
    assertThat(now(p.acquire()).connection().id).isIn(1, 2);
    assertThat(connector.opened).hasSize(2);
  }

  @Test
  void close_failsWaiters_closesIdle_andBusyOnRelease() {
    ConnectionPool<FakeConnection> p = pool(small());
    Lease<FakeConnection> busy = now(p.acquire());
    Lease<FakeConnection> idle = now(p.acquire());
    idle.release();
    now(p.acquire());
    CompletableFuture<Lease<FakeConnection>> waiting = p.acquire();

    p.close();

    assertThat(failure(waiting)).isInstanceOf(PoolClosedException.class);
    assertThat(busy.connection().isOpen()).isTrue();
    assertThat(failure(p.acquire())).isInstanceOf(PoolClosedException.class);
    busy.release();
    assertThat(busy.connection().isOpen()).isFalse();
    assertThat(p.drained()).isFalse();
  }

  @Test
  void close_afterEveryReleased_isDrained() {
    ConnectionPool<FakeConnection> p = pool(small());
    Lease<FakeConnection> a = now(p.acquire());
    p.close();

    a.release();

    assertThat(p.drained()).isTrue();
  }

  @Test
  void cancelledWaiter_connectionGoesToNextWaiter() {
    ConnectionPool<FakeConnection> p = pool(small().withMaxPending(3));
    Lease<FakeConnection> a = now(p.acquire());
    now(p.acquire());
    CompletableFuture<Lease<FakeConnection>> gaveUp = p.acquire();
    CompletableFuture<Lease<FakeConnection>> next = p.acquire();

    gaveUp.cancel(false);
    a.release();

    assertThat(now(next).connection()).isSameAs(a.connection());
  }

  @Test
  void waiters_servedInArrivalOrder_newcomersDoNotOvertake() {
    ConnectionPool<FakeConnection> p = pool(small().withMaxPending(3));
    Lease<FakeConnection> a = now(p.acquire());
    Lease<FakeConnection> b = now(p.acquire());
    CompletableFuture<Lease<FakeConnection>> w1 = p.acquire();
    CompletableFuture<Lease<FakeConnection>> w2 = p.acquire();

    a.release();
    CompletableFuture<Lease<FakeConnection>> newcomer = p.acquire();
    b.release();

    assertThat(w1).isDone();
    assertThat(w2).isDone();
    assertThat(newcomer).isNotDone();
  }

  @Test
  void settings_rejectBadValues() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PoolSettings.defaults().withMaxConnections(0))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PoolSettings.defaults().withMaxLifetime(Duration.ofSeconds(1), 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PoolSettings.defaults().withAcquireTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
