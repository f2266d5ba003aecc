package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Smoke test of the single-writer, many-readers contract: readers and watch registrations run while
 * one thread applies writes, and every watcher sees exactly the matching events after its
 * sinceIndex, without gaps or duplicates.
 */
class StoreConcurrencyTest {
  private static final int WRITES = 6000;
  private static final String[] KEYS = {"/c/a", "/c/b", "/c/d/e", "/c/_h", "/other"};

  private record Registered(
      String key, boolean recursive, long since, RecordingSink sink, Watch w) {}

  @Test
  void watchesRegisteredDuringApplies_seeExactlyTheEventsAfterSince() throws Exception {
    Store store = Store.create();
    String[] keyAt = new String[WRITES + 1];
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<Registered> registered = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> futures = new ArrayList<>();

    futures.add(
        pool.submit(
            () -> {
              start.await();
              Random random = new Random(1);
              for (int i = 1; i <= WRITES; i++) {
                String key = KEYS[random.nextInt(KEYS.length)];
                keyAt[i] = key;
                Outcome o = store.set(key, false, Integer.toString(i), null, false, NOW);
                if (o.index() != i) {
                  failures.add(new AssertionError("index " + o.index() + " for write " + i));
                }
              }
              done.set(true);
              return null;
            }));
    for (int t = 0; t < 3; t++) {
      int seed = t;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                Random random = new Random(100 + seed);
                int watches = 0;
                while (!done.get()) {
                  Outcome read = store.get("/c", true, true, NOW);
                  if (read.httpStatus() != 200 && read.httpStatus() != 404) {
                    failures.add(new AssertionError("read " + StoreFixtures.body(read)));
                  }
                  if (watches++ >= 200) {
                    continue;
                  }
                  String key = random.nextBoolean() ? "/c" : KEYS[random.nextInt(KEYS.length)];
                  boolean recursive = random.nextBoolean();
                  boolean fromHistory = random.nextBoolean();
                  long current = store.currentIndex();
                  long since = fromHistory ? Math.max(1, current - random.nextInt(300)) : 0;
                  RecordingSink sink = new RecordingSink();
                  WatchResult r = store.watch(key, recursive, true, since, sink);
                  if (r instanceof Watch w) {
                    long resolved = since == 0 ? w.etcdIndex() + 1 : since;
                    registered.add(new Registered(key, recursive, resolved, sink, w));
                  }
                  Thread.sleep(0, 100_000);
                }
                return null;
              }));
    }
    futures.add(
        pool.submit(
            () -> {
              start.await();
              while (!done.get()) {
                store.saveToBytes();
                store.stats();
                Thread.sleep(1);
              }
              return null;
            }));
    start.countDown();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(failures).isEmpty();
    assertThat(registered).hasSizeGreaterThan(10);

    for (Registered reg : registered) {
      List<Long> expected = new ArrayList<>();
      for (long i = reg.since(); i <= WRITES; i++) {
        String k = keyAt[(int) i];
        boolean exact = k.equals(reg.key());
        boolean below = reg.recursive() && k.startsWith(reg.key() + "/");
        boolean hiddenLive = k.contains("/_") && !exact;
        if (exact || below) {
          if (!hiddenLive || i < reg.w().etcdIndex() + 1) {
            expected.add(i);
          }
        }
      }
      assertThat(reg.sink().indices()).as(reg.toString()).isEqualTo(expected);
      reg.w().cancel();
    }
    assertThat(store.stats().watchers()).isZero();
  }

  @Test
  void cancelDuringApplies_deliveredEventsAreAGapFreePrefix() throws Exception {
    Store store = Store.create();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    RecordingSink sink = new RecordingSink();
    Watch w = (Watch) store.watch("/k", false, true, 0, sink);
    Future<?> writer =
        pool.submit(
            () -> {
              for (int i = 0; i < 20_000; i++) {
                store.set("/k", false, "v", null, false, NOW);
              }
            });
    Thread.sleep(5);
    w.cancel();
    int seen = sink.indices().size();
    writer.get(60, TimeUnit.SECONDS);
    pool.shutdown();
    List<Long> indices = sink.indices();
    assertThat(indices).hasSize(seen);
    for (int i = 0; i < indices.size(); i++) {
      assertThat(indices.get(i)).isEqualTo(i + 1L);
    }
  }

  @Test
  void manyIdleWatchers_doNotSlowUnrelatedWrites() {
    Store store = Store.create();
    for (int i = 0; i < 50_000; i++) {
      store.watch("/idle/" + i, i % 2 == 0, true, 0, e -> true);
    }
    assertThat(store.stats().watchers()).isEqualTo(50_000);
    RecordingSink sink = new RecordingSink();
    store.watch("/busy", false, true, 0, sink);
    for (int i = 0; i < 10_000; i++) {
      store.set("/busy", false, "v", null, false, NOW);
    }
    assertThat(sink.indices()).hasSize(10_000);
  }
}
