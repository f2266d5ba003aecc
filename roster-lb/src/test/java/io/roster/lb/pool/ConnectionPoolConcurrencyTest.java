package io.roster.lb.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.lb.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many threads acquiring and releasing at once: the limits hold at every moment, and when all is
 * done nothing is leaked. Real threads, no timing assertions.
 */
final class ConnectionPoolConcurrencyTest {

  /** A thread-safe connection for this test (FakeConnection is single-threaded). */
  private static final class Conn implements PooledConnection {
    volatile boolean open = true;

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }

    @Override
    public void onClose(Runnable listener) {}
  }

  @Test
  void acquireRelease_manyThreads_limitsHoldAndNothingLeaks() throws Exception {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    Scheduler scheduler = (delay, task) -> timers.schedule(task, delay, TimeUnit.NANOSECONDS);
    AtomicInteger opened = new AtomicInteger();
    ConnectionPool<Conn> pool =
        ConnectionPool.newBuilder(
                "h:1",
                () -> {
                  opened.incrementAndGet();
                  return CompletableFuture.supplyAsync(Conn::new);
                },
                scheduler)
            .settings(
                PoolSettings.defaults()
                    .withMaxConnections(4)
                    .withMaxPending(8)
                    .withWarmUp(0)
                    .withAcquireTimeout(Duration.ofSeconds(30)))
            .build();
    AtomicInteger inUse = new AtomicInteger();
    AtomicInteger maxInUse = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    int threads = 8;
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 500; i++) {
                    assertThat(pool.pending()).isLessThanOrEqualTo(8);
                    assertThat(pool.open()).isLessThanOrEqualTo(4);
                    try {
                      Lease<Conn> l = pool.acquire().get(30, TimeUnit.SECONDS);
                      int now = inUse.incrementAndGet();
                      maxInUse.accumulateAndGet(now, Math::max);
                      Thread.yield();
                      inUse.decrementAndGet();
                      if (i % 10 == 0) {
                        l.discard();
                      } else {
                        l.release();
                      }
                      served.incrementAndGet();
                    } catch (java.util.concurrent.ExecutionException e) {
                      if (e.getCause() instanceof PoolOverflowException) {
                        rejected.incrementAndGet();
                      } else {
                        unexpected.add(e.getCause());
                      }
                    }
                  }
                } catch (Throwable e) {
                  unexpected.add(e);
                } finally {
                  done.countDown();
                }
              });
      workers.add(w);
      w.start();
    }

    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    timers.shutdownNow();

    assertThat(unexpected).isEmpty();
    assertThat(served.get() + rejected.get()).isEqualTo(threads * 500);
    assertThat(maxInUse.get()).isLessThanOrEqualTo(4);
    assertThat(pool.pendingHighWater()).isLessThanOrEqualTo(8);
    assertThat(pool.leased()).isZero();
    assertThat(pool.pending()).isZero();
    assertThat(pool.open()).isBetween(0, 4).isEqualTo(pool.idle());
    assertThat(pool.created() - pool.destroyed()).isEqualTo(pool.open());
    assertThat((long) opened.get()).isEqualTo(pool.created() + pool.connectFailures());
  }
}
