package io.roster.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.roster.api.Action;
import io.roster.testkit.InProcessRoster;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gap-free, duplicate-free watches across slow consumers, restarts, failover and 401. */
class WatchTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private InProcessRoster roster;
  private RosterClient client;

  @BeforeEach
  void start() {
    roster = InProcessRoster.start("watch");
    client =
        RosterClient.builder()
            .endpoints(roster.clientUrl())
            .requestTimeout(Duration.ofSeconds(2))
            .memberRefreshInterval(Duration.ZERO)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    roster.close();
  }

  private static WatchEvent.Change change(Watch w) throws InterruptedException {
    WatchEvent e = w.poll(WAIT);
    assertThat(e).isInstanceOf(WatchEvent.Change.class);
    return (WatchEvent.Change) java.util.Objects.requireNonNull(e);
  }

  private List<Long> write(String prefix, int n) {
    List<Long> indexes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      indexes.add(
          client.set(prefix + "/k" + (i % 7), "v" + i, WriteOptions.defaults()).etcdIndex());
    }
    return indexes;
  }

  @Test
  void slowConsumer_receivesEveryIndexExactlyOnceInOrder() throws Exception {
    try (Watch w =
        client.watch("/w", WatchOptions.defaults().withRecursive(true).withQueueCapacity(2))) {
      List<Long> written = write("/w", 300);
      List<Long> seen = new ArrayList<>();
      for (int i = 0; i < written.size(); i++) {
        seen.add(change(w).index());
        if (i % 50 == 0) {
          Thread.sleep(20);
        }
      }
      assertThat(seen).isEqualTo(written);
      assertThat(w.poll(Duration.ofMillis(200))).isNull();
      assertThat(w.nextIndex()).isEqualTo(written.get(written.size() - 1) + 1);
    }
  }

  @Test
  void nonRecursiveWatch_seesOnlyItsKey_fromIndexReplaysHistory() throws Exception {
    long first = client.set("/nr/a", "1", WriteOptions.defaults()).etcdIndex();
    client.set("/nr/b", "x", WriteOptions.defaults());
    long second = client.set("/nr/a", "2", WriteOptions.defaults()).etcdIndex();
    try (Watch w = client.watch("/nr/a", WatchOptions.defaults().withFromIndex(first))) {
      assertThat(change(w).index()).isEqualTo(first);
      WatchEvent.Change c = change(w);
      assertThat(c.index()).isEqualTo(second);
      assertThat(c.action()).isEqualTo(Action.SET);
      assertThat(java.util.Objects.requireNonNull(c.prevNode()).value()).isEqualTo("1");
      long del = client.delete("/nr/a").etcdIndex();
      WatchEvent.Change d = change(w);
      assertThat(d.action()).isEqualTo(Action.DELETE);
      assertThat(d.index()).isEqualTo(del);
    }
  }

  @Test
  void serverRestart_watchResumesWithoutGapOrDuplicate() throws Exception {
    try (Watch w = client.watch("/r", WatchOptions.defaults().withRecursive(true))) {
      List<Long> written = new ArrayList<>(write("/r", 3));
      assertThat(change(w).index()).isEqualTo(written.get(0));
      roster.stop();
      Thread.sleep(300);
      roster.start();
      written.addAll(write("/r", 3));
      List<Long> seen = new ArrayList<>(List.of(written.get(0)));
      while (seen.size() < written.size()) {
        seen.add(change(w).index());
      }
      assertThat(seen).isEqualTo(written);
      assertThat(w.poll(Duration.ofMillis(300))).isNull();
    }
  }

  @Test
  void deadEndpointFirst_watchFailsOverAndDelivers() throws Exception {
    URI dead = URI.create("http://127.0.0.1:" + InProcessRoster.freePort());
    try (RosterClient c =
            RosterClient.builder()
                .endpoints(dead, roster.clientUrl())
                .memberRefreshInterval(Duration.ZERO)
                .build();
        Watch w = c.watch("/f", WatchOptions.defaults().withRecursive(true))) {
      List<Long> written = write("/f", 5);
      List<Long> seen = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        seen.add(change(w).index());
      }
      assertThat(seen).isEqualTo(written);
    }
  }

  @Test
  void historyCleared_listenerGetsResyncWithSnapshot_thenContinues() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BlockingQueue<WatchEvent> got = new LinkedBlockingQueue<>();
    long first;
    try (Watch w =
        client.watch(
            "/h",
            WatchOptions.defaults().withRecursive(true),
            e -> {
              got.add(e);
              entered.countDown();
              try {
                release.await();
              } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
              }
            })) {
      first = client.set("/h/a", "1", WriteOptions.defaults()).etcdIndex();
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      long mid = client.set("/h/b", "2", WriteOptions.defaults()).etcdIndex();
      write("/busy", 1100);
      release.countDown();

      WatchEvent e1 = got.poll(10, TimeUnit.SECONDS);
      assertThat(((WatchEvent.Change) e1).index()).isEqualTo(first);
      WatchEvent e2 = got.poll(10, TimeUnit.SECONDS);
      assertThat(e2).isInstanceOf(WatchEvent.Resync.class);
      WatchEvent.Resync r = (WatchEvent.Resync) e2;
      assertThat(r.etcdIndex()).isGreaterThan(mid + 1000);
      assertThat(java.util.Objects.requireNonNull(r.snapshot()).nodes())
          .extracting(Node::key)
          .containsExactly("/h/a", "/h/b");

      long after = client.set("/h/c", "3", WriteOptions.defaults()).etcdIndex();
      WatchEvent e3 = got.poll(10, TimeUnit.SECONDS);
      assertThat(((WatchEvent.Change) e3).index()).isEqualTo(after);
      assertThat(w.isOpen()).isTrue();
    }
  }

  @Test
  void close_stopsDelivery_andTakeReportsTheEnd() throws Exception {
    Watch w = client.watch("/c", WatchOptions.defaults().withRecursive(true));
    client.set("/c/a", "1", WriteOptions.defaults());
    assertThat(change(w).node().value()).isEqualTo("1");
    w.close();
    client.set("/c/a", "2", WriteOptions.defaults());
    assertThat(w.poll(Duration.ofMillis(500))).isNull();
    assertThat(w.isOpen()).isFalse();
    assertThat(w.failure()).isNull();
  }

  @Test
  void startingRead_onUnreachableCluster_isATypedError() throws IOException {
    URI dead = URI.create("http://127.0.0.1:" + InProcessRoster.freePort());
    try (RosterClient c =
        RosterClient.builder().endpoints(dead).memberRefreshInterval(Duration.ZERO).build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> c.watch("/x", WatchOptions.defaults()))
          .isInstanceOf(RosterTransportException.class);
    }
  }
}
