package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static io.roster.store.StoreFixtures.SECOND;
import static io.roster.store.StoreFixtures.body;
import static io.roster.store.StoreFixtures.json;
import static io.roster.store.StoreFixtures.mkdir;
import static io.roster.store.StoreFixtures.setFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.roster.api.ErrorCode;
import org.junit.jupiter.api.Test;

/** Watch semantics (§8), including the E12-E17 edge cases and the E15/E16 fixes. */
class StoreWatchTest {
  private final Store store = Store.create();
  private final RecordingSink sink = new RecordingSink();

  private Watch watch(String key, boolean recursive, boolean stream, long since) {
    return watch(key, recursive, stream, since, sink);
  }

  private Watch watch(String key, boolean recursive, boolean stream, long since, WatchSink s) {
    WatchResult r = store.watch(key, recursive, stream, since, s);
    assertThat(r).isInstanceOf(Watch.class);
    return (Watch) r;
  }

  @Test
  void watch_liveExact_oneShotEndsAfterFirstEvent() {
    setFile(store, "/k", "0");
    Watch w = watch("/k", false, false, 0);
    assertThat(w.etcdIndex()).isEqualTo(1);
    assertThat(store.stats().watchers()).isEqualTo(1);
    Outcome write = setFile(store, "/k", "1");
    setFile(store, "/k", "2");
    assertThat(sink.events()).singleElement().isSameAs(write);
    assertThat(store.stats().watchers()).isZero();
  }

  @Test
  void watch_eventBodyIsTheWriteResponseBody() {
    Watch w = watch("/k", false, false, 0);
    Outcome write = store.set("/k", false, "v", 5L, false, NOW);
    assertThat(sink.events().get(0).body()).isSameAs(write.body());
    w.cancel();
  }

  @Test
  void watch_sinceZeroMeansNextIndex() {
    setFile(store, "/k", "0");
    watch("/k", false, false, 0);
    assertThat(sink.events()).isEmpty();
    setFile(store, "/k", "1");
    assertThat(sink.indices()).containsExactly(2L);
  }

  @Test
  void watch_fromHistory_firstMatchAtOrAfterSince() {
    setFile(store, "/p", "1");
    setFile(store, "/q", "1");
    setFile(store, "/p", "2");
    Watch w = watch("/p", false, false, 2);
    assertThat(sink.indices()).containsExactly(3L);
    assertThat(w.etcdIndex()).isEqualTo(3);
    assertThat(store.stats().watchers()).isZero();
    setFile(store, "/p", "3");
    assertThat(sink.indices()).containsExactly(3L);
  }

  @Test
  void watch_futureSinceIgnoresEarlierEvents() {
    watch("/k", false, false, 3);
    setFile(store, "/k", "1");
    setFile(store, "/k", "2");
    assertThat(sink.events()).isEmpty();
    setFile(store, "/k", "3");
    assertThat(sink.indices()).containsExactly(3L);
  }

  @Test
  void watch_refreshWakesNoLiveWatcherAndIsSkippedInHistory_E5() {
    store.set("/r1", false, "v", 5L, false, NOW);
    watch("/r1", false, false, 0);
    store.update("/r1", "", 10L, true, NOW);
    store.set("/r1", false, "", 10L, true, NOW);
    store.compareAndSwap("/r1", "v", 0, "", 10L, true, NOW);
    assertThat(sink.events()).isEmpty();
    RecordingSink history = new RecordingSink();
    watch("/r1", false, false, 2, history);
    assertThat(history.events()).isEmpty();
    setFile(store, "/r1", "real");
    assertThat(sink.indices()).containsExactly(5L);
    assertThat(history.indices()).containsExactly(5L);
  }

  @Test
  void watch_nonRecursiveOnDirectoryIgnoresChildren() {
    mkdir(store, "/w");
    watch("/w", false, false, 0);
    setFile(store, "/w/foo", "x");
    assertThat(sink.events()).isEmpty();
    store.delete("/w", true, true, NOW);
    assertThat(sink.summary()).containsExactly("delete /w@3");
  }

  @Test
  void watch_recursiveSeesDescendants() {
    watch("/s", true, true, 0);
    setFile(store, "/s/a", "1");
    setFile(store, "/s/b/c", "2");
    setFile(store, "/sx", "no");
    setFile(store, "/s", "replace-dir?");
    assertThat(sink.summary()).containsExactly("set /s/a@1", "set /s/b/c@2");
  }

  @Test
  void watch_recursiveLiveSkipsHidden_historyDoesNot_E12() {
    watch("/s", true, true, 0);
    setFile(store, "/s/_hid", "h");
    setFile(store, "/s/_h/x", "h");
    setFile(store, "/s/x/_y", "h");
    setFile(store, "/s/v", "v");
    assertThat(sink.summary()).containsExactly("set /s/v@4");
    RecordingSink history = new RecordingSink();
    watch("/s", true, false, 1, history);
    assertThat(history.summary()).containsExactly("set /s/_hid@1");
  }

  @Test
  void watch_rootRecursiveSeesAllButHidden() {
    watch("/", true, true, 0);
    setFile(store, "/a", "1");
    setFile(store, "/_h", "1");
    setFile(store, "/b/c", "1");
    assertThat(sink.summary()).containsExactly("set /a@1", "set /b/c@3");
  }

  @Test
  void watch_rootNonRecursiveSeesNothing() {
    watch("/", false, true, 0);
    setFile(store, "/a", "1");
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void watch_onHiddenKeyItselfSeesIt() {
    watch("/s/_hid", false, false, 0);
    setFile(store, "/s/_hid", "h");
    assertThat(sink.summary()).containsExactly("set /s/_hid@1");
  }

  @Test
  void watch_recursiveBelowHiddenDirSeesChildren() {
    watch("/_h", true, true, 0);
    setFile(store, "/_h/x", "1");
    assertThat(sink.summary()).containsExactly("set /_h/x@1");
  }

  @Test
  void watch_deletedUnder_existingDescendantNotified() {
    setFile(store, "/w/foo", "x");
    setFile(store, "/w/_hidden/bar", "x");
    RecordingSink foo = new RecordingSink();
    RecordingSink hidden = new RecordingSink();
    watch("/w/foo", false, false, 0, foo);
    watch("/w/_hidden/bar", false, false, 0, hidden);
    store.delete("/w", false, true, NOW);
    assertThat(foo.summary()).containsExactly("delete /w@3");
    assertThat(hidden.summary()).containsExactly("delete /w@3");
    assertThat(body(foo.events().get(0))).contains("\"node\":{\"key\":\"/w\",\"dir\":true");
  }

  @Test
  void watch_deletedUnder_missingPathNotNotifiedLive_E14() {
    setFile(store, "/dd/exists", "x");
    watch("/dd/ghost", false, false, 0);
    store.delete("/dd", false, true, NOW);
    assertThat(sink.events()).isEmpty();
    RecordingSink history = new RecordingSink();
    watch("/dd/ghost", false, false, 2, history);
    assertThat(history.summary()).containsExactly("delete /dd@2");
  }

  @Test
  void watch_historyStringPrefixFalsePositive_E13() {
    mkdir(store, "/zz");
    store.delete("/zz", true, false, NOW);
    watch("/zzz", false, false, 2);
    assertThat(sink.summary()).containsExactly("delete /zz@2");
  }

  @Test
  void watch_historyDeleteOfFileDoesNotMatchPrefix() {
    setFile(store, "/zz", "x");
    store.delete("/zz", false, false, NOW);
    watch("/zz/a", false, false, 1);
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void watch_streamOnDeletedDirectoryGetsEventOnce_E15fixed() {
    setFile(store, "/w/a", "1");
    watch("/w", true, true, 0);
    store.delete("/w", false, true, NOW);
    assertThat(sink.summary()).containsExactly("delete /w@2");
  }

  @Test
  void watch_streamOnDeletedFileGetsEventOnce() {
    setFile(store, "/f", "1");
    watch("/f", false, true, 0);
    store.delete("/f", false, false, NOW);
    store.compareAndDelete("/f", "x", 0, NOW);
    setFile(store, "/f", "2");
    store.compareAndDelete("/f", "2", 0, NOW);
    assertThat(sink.summary()).containsExactly("delete /f@2", "set /f@3", "compareAndDelete /f@4");
  }

  @Test
  void watch_streamFromHistoryReplaysThenContinuesLive_E16fixed() {
    setFile(store, "/s/a", "1");
    setFile(store, "/other", "1");
    setFile(store, "/s/b", "1");
    store.update("/s/b", "", 5L, true, NOW);
    setFile(store, "/s/a", "2");
    Watch w = watch("/s", true, true, 1);
    assertThat(sink.indices()).containsExactly(1L, 3L, 5L);
    setFile(store, "/s/c", "1");
    setFile(store, "/other", "2");
    setFile(store, "/s/a", "3");
    assertThat(sink.indices()).containsExactly(1L, 3L, 5L, 6L, 8L);
    assertThat(store.stats().watchers()).isEqualTo(1);
    w.cancel();
  }

  @Test
  void watch_streamReplayRefusedStopsAndDoesNotRegister() {
    setFile(store, "/k", "1");
    setFile(store, "/k", "2");
    setFile(store, "/k", "3");
    RecordingSink small = new RecordingSink(2);
    watch("/k", false, true, 1, small);
    assertThat(small.indices()).containsExactly(1L, 2L);
    assertThat(store.stats().watchers()).isZero();
    setFile(store, "/k", "4");
    assertThat(small.indices()).containsExactly(1L, 2L);
  }

  @Test
  void watch_historyCleared_401() {
    for (int i = 0; i < 1100; i++) {
      setFile(store, "/k", Integer.toString(i));
    }
    WatchResult r = store.watch("/k", false, false, 8, sink);
    assertThat(r).isInstanceOf(StoreError.class);
    StoreError e = (StoreError) r;
    assertThat(e.code()).isEqualTo(ErrorCode.EVENT_INDEX_CLEARED);
    assertThat(json(e))
        .isEqualTo(
            "{\"errorCode\":401,\"message\":\"The event in requested index is outdated and cleared\","
                + "\"cause\":\"the requested history has been cleared [101/8]\",\"index\":1100}");
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(store.watch("/k", false, false, 100, sink)).isInstanceOf(StoreError.class);
    assertThat(store.watch("/k", false, false, 101, sink)).isInstanceOf(Watch.class);
    assertThat(sink.indices()).containsExactly(101L);
  }

  @Test
  void cancel_stopsDeliveryAndIsIdempotent() {
    Watch w = watch("/k", false, true, 0);
    setFile(store, "/k", "1");
    w.cancel();
    w.cancel();
    setFile(store, "/k", "2");
    assertThat(sink.indices()).containsExactly(1L);
    assertThat(store.stats().watchers()).isZero();
  }

  @Test
  void cancel_fromInsideSinkDuringDelivery() {
    Watch[] self = new Watch[1];
    RecordingSink inner = new RecordingSink();
    WatchSink cancelling =
        e -> {
          inner.offer(e);
          self[0].cancel();
          return true;
        };
    self[0] = watch("/k", false, true, 0, cancelling);
    setFile(store, "/k", "1");
    setFile(store, "/k", "2");
    assertThat(inner.indices()).containsExactly(1L);
  }

  @Test
  void sinkRefusal_removesStreamWatcher() {
    RecordingSink small = new RecordingSink(2);
    watch("/k", false, true, 0, small);
    setFile(store, "/k", "1");
    setFile(store, "/k", "2");
    assertThat(store.stats().watchers()).isEqualTo(1);
    setFile(store, "/k", "3");
    setFile(store, "/k", "4");
    assertThat(small.indices()).containsExactly(1L, 2L);
    assertThat(store.stats().watchers()).isZero();
  }

  @Test
  void sinkThatThrows_isRemovedAndApplyCompletes() {
    watch(
        "/k",
        false,
        true,
        0,
        e -> {
          throw new IllegalStateException("boom");
        });
    watch("/k", false, true, 0);
    assertThat(setFile(store, "/k", "1")).isInstanceOf(Event.class);
    assertThat(store.stats().watchers()).isEqualTo(1);
    assertThat(sink.indices()).containsExactly(1L);
  }

  @Test
  void watch_manyWatchersOnOnePath_allNotified() {
    RecordingSink[] sinks = new RecordingSink[50];
    for (int i = 0; i < sinks.length; i++) {
      sinks[i] = new RecordingSink();
      watch("/k", false, false, 0, sinks[i]);
    }
    setFile(store, "/k", "1");
    for (RecordingSink s : sinks) {
      assertThat(s.indices()).containsExactly(1L);
    }
    assertThat(store.stats().watchers()).isZero();
  }

  @Test
  void watch_expireDeliveredToExactAncestorAndDescendantWatchers() {
    store.set("/ed", true, "", 1L, false, NOW);
    setFile(store, "/ed/child", "c");
    RecordingSink exact = new RecordingSink();
    RecordingSink ancestor = new RecordingSink();
    RecordingSink child = new RecordingSink();
    RecordingSink ancestorNonRecursive = new RecordingSink();
    watch("/ed", false, false, 0, exact);
    watch("/", true, false, 0, ancestor);
    watch("/ed/child", false, false, 0, child);
    watch("/", false, false, 0, ancestorNonRecursive);
    store.deleteExpired(NOW + SECOND);
    assertThat(exact.summary()).containsExactly("expire /ed@3");
    assertThat(ancestor.summary()).containsExactly("expire /ed@3");
    assertThat(child.summary()).containsExactly("expire /ed@3");
    assertThat(ancestorNonRecursive.events()).isEmpty();
  }

  @Test
  void watch_historyMatchesExpireOfDirectoryAbove() {
    store.set("/ed", true, "", 1L, false, NOW);
    store.deleteExpired(NOW + SECOND);
    watch("/ed/never/existed", false, false, 1);
    assertThat(sink.summary()).containsExactly("expire /ed@2");
  }

  @Test
  void watch_belowAFileIsAccepted() {
    setFile(store, "/f", "x");
    WatchResult r = store.watch("/f/g", false, false, 0, sink);
    assertThat(r).isInstanceOf(Watch.class);
    store.delete("/f", false, false, NOW);
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void watch_allWriteKindsDelivered() {
    watch("/k", false, true, 0);
    setFile(store, "/k", "1");
    store.update("/k", "2", null, false, NOW);
    store.compareAndSwap("/k", "2", 0, "3", null, false, NOW);
    store.compareAndDelete("/k", "3", 0, NOW);
    store.create("/k", false, "4", false, null, NOW);
    store.delete("/k", false, false, NOW);
    assertThat(sink.summary())
        .containsExactly(
            "set /k@1",
            "update /k@2",
            "compareAndSwap /k@3",
            "compareAndDelete /k@4",
            "create /k@5",
            "delete /k@6");
  }

  @Test
  void watch_failedWritesProduceNothing() {
    watch("/k", true, true, 0);
    store.create("/k", false, "1", false, null, NOW);
    store.create("/k", false, "1", false, null, NOW);
    store.compareAndSwap("/k", "zzz", 0, "2", null, false, NOW);
    assertThat(sink.indices()).containsExactly(1L);
  }

  @Test
  void watch_inOrderCreateUnderWatchedDirectory() {
    watch("/queue", true, false, 0);
    store.create("/queue", false, "job", true, null, NOW);
    assertThat(sink.summary()).containsExactly("create /queue/00000000000000000001@1");
  }

  @Test
  void endWatches_endsEveryWatcherOnceAndLaterWatchesAtOnce() {
    RecordingSink other = new RecordingSink();
    watch("/a", false, true, 0);
    watch("/", true, true, 0, other);
    assertThat(store.stats().watchers()).isEqualTo(2);
    assertThat(store.endWatches()).isEqualTo(2);
    assertThat(store.stats().watchers()).isZero();
    setFile(store, "/a", "1");
    assertThat(sink.events()).isEmpty();
    assertThat(other.events()).isEmpty();
    assertThat(sink.endedCount()).isEqualTo(1);
    assertThat(other.endedCount()).isEqualTo(1);

    RecordingSink late = new RecordingSink();
    watch("/a", false, false, 1, late);
    assertThat(late.events()).isEmpty();
    assertThat(late.endedCount()).isEqualTo(1);
    assertThat(store.stats().watchers()).isZero();
    assertThat(store.endWatches()).isZero();
  }
}
