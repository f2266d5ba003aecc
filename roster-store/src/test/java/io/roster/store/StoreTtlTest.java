package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static io.roster.store.StoreFixtures.SECOND;
import static io.roster.store.StoreFixtures.body;
import static io.roster.store.StoreFixtures.json;
import static io.roster.store.StoreFixtures.setFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.roster.api.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TTL expiry (§8.7, §9). */
class StoreTtlTest {
  private final Store store = Store.create();

  @Test
  void deleteExpired_nothingDue() {
    store.set("/k", false, "v", 5L, false, NOW);
    assertThat(store.deleteExpired(NOW + 5 * SECOND - 1)).isEmpty();
    assertThat(store.currentIndex()).isEqualTo(1);
  }

  @Test
  void deleteExpired_dueAtExactlyExpireAt() {
    store.set("/k", false, "v", 5L, false, NOW);
    List<Event> events = store.deleteExpired(NOW + 5 * SECOND);
    assertThat(events).hasSize(1);
    assertThat(body(events.get(0)))
        .isEqualTo(
            "{\"action\":\"expire\",\"node\":{\"key\":\"/k\",\"modifiedIndex\":2,"
                + "\"createdIndex\":1},\"prevNode\":{\"key\":\"/k\",\"value\":\"v\","
                + "\"expiration\":\"2026-11-24T21:40:05Z\",\"modifiedIndex\":1,"
                + "\"createdIndex\":1}}\n");
    assertThat(store.currentIndex()).isEqualTo(2);
    assertThat(json(store.get("/k", false, false, NOW))).contains("\"errorCode\":100");
    assertThat(store.nextExpiration()).isEmpty();
    assertThat(events.get(0).httpStatus()).isEqualTo(200);
  }

  @Test
  void deleteExpired_earliestFirstEachWithOwnIndex() {
    store.set("/c", false, "v", 3L, false, NOW);
    store.set("/a", false, "v", 1L, false, NOW);
    store.set("/b", false, "v", 2L, false, NOW);
    store.set("/later", false, "v", 100L, false, NOW);
    List<Event> events = store.deleteExpired(NOW + 10 * SECOND);
    assertThat(events)
        .extracting(Event::toString)
        .containsExactly("expire /a@5", "expire /b@6", "expire /c@7");
    assertThat(store.nextExpiration()).hasValue(NOW + 100 * SECOND);
  }

  @Test
  void deleteExpired_tiesBrokenByKey() {
    store.set("/z", false, "v", 1L, false, NOW);
    store.set("/m", false, "v", 1L, false, NOW);
    store.set("/a", false, "v", 1L, false, NOW);
    assertThat(store.deleteExpired(NOW + SECOND))
        .extracting(Event::key)
        .containsExactly("/a", "/m", "/z");
  }

  @Test
  void deleteExpired_overdueShowsNegativeTtlInPrevNode() {
    store.set("/k", false, "v", 1L, false, NOW);
    Event e = store.deleteExpired(NOW + 3 * SECOND).get(0);
    assertThat(body(e)).contains("\"expiration\":\"2026-11-24T21:40:01Z\",\"ttl\":-2,");
  }

  @Test
  void deleteExpired_directoryTakesSubtreeInOneEvent() {
    store.set("/ed", true, "", 2L, false, NOW);
    setFile(store, "/ed/permanent", "p");
    store.set("/ed/sub/ttl", false, "t", 1L, false, NOW);
    store.set("/ek", false, "1", 10L, false, NOW);
    List<Event> events = store.deleteExpired(NOW + 2 * SECOND);
    assertThat(events)
        .extracting(Event::toString)
        .containsExactly("expire /ed/sub/ttl@5", "expire /ed@6");
    assertThat(body(events.get(1)))
        .isEqualTo(
            "{\"action\":\"expire\",\"node\":{\"key\":\"/ed\",\"dir\":true,\"modifiedIndex\":6,"
                + "\"createdIndex\":1},\"prevNode\":{\"key\":\"/ed\",\"dir\":true,"
                + "\"expiration\":\"2026-11-24T21:40:02Z\",\"modifiedIndex\":1,"
                + "\"createdIndex\":1}}\n");
    assertThat(json(store.get("/ed", false, false, NOW))).contains("\"errorCode\":100");
    assertThat(store.nextExpiration()).hasValue(NOW + 10 * SECOND);
  }

  @Test
  void deleteExpired_childDueWithDirectorySkipped() {
    store.set("/d", true, "", 1L, false, NOW);
    store.set("/d/c", false, "v", 1L, false, NOW);
    store.set("/d/e", false, "v", 1L, false, NOW);
    List<Event> events = store.deleteExpired(NOW + SECOND);
    assertThat(events).extracting(Event::toString).containsExactly("expire /d@4");
    assertThat(store.nextExpiration()).isEmpty();
  }

  @Test
  void deleteExpired_ttlZeroExpiresAtNextSweep() {
    store.set("/z", false, "x", 0L, false, NOW);
    assertThat(store.deleteExpired(NOW)).hasSize(1);
  }

  @Test
  void deleteExpired_countedInStats() {
    store.set("/a", false, "v", 1L, false, NOW);
    store.set("/b", false, "v", 1L, false, NOW);
    store.deleteExpired(NOW + SECOND);
    assertThat(store.stats().expireCount()).isEqualTo(2);
  }

  @Test
  void hugeTtl_saturatesInsteadOfOverflowing() {
    Outcome o = store.set("/forever", false, "v", Long.MAX_VALUE, false, NOW);
    assertThat(json(o)).contains("\"expiration\":\"2262-04-11T23:47:16.854775807Z\"");
    assertThat(store.nextExpiration()).hasValue(Long.MAX_VALUE);
    assertThat(store.deleteExpired(NOW + 1000 * SECOND)).isEmpty();
  }

  @Test
  void refresh_changesExpiryWithoutChangingValue() {
    store.set("/k", false, "v", 5L, false, NOW);
    store.update("/k", "", 50L, true, NOW + SECOND);
    assertThat(store.deleteExpired(NOW + 10 * SECOND)).isEmpty();
    List<Event> expired = store.deleteExpired(NOW + 51 * SECOND);
    assertThat(expired).singleElement().extracting(Event::action).isEqualTo(Action.EXPIRE);
    assertThat(body(expired.get(0))).contains("\"value\":\"v\"");
  }

  @Test
  void replacingTtlNodeBySetRemovesOldExpiry() {
    store.set("/k", false, "v", 1L, false, NOW);
    store.set("/k", false, "w", 100L, false, NOW);
    assertThat(store.deleteExpired(NOW + 2 * SECOND)).isEmpty();
    assertThat(store.nextExpiration()).hasValue(NOW + 100 * SECOND);
  }

  @Test
  void deleteOfDirectoryRemovesDescendantExpiries() {
    store.set("/d/a/b", false, "v", 1L, false, NOW);
    store.delete("/d", true, true, NOW);
    assertThat(store.nextExpiration()).isEmpty();
  }

  @Test
  void postponeExpirations_shiftsEveryDeadlineAndKeepsOrder() {
    store.set("/a", false, "v", 1L, false, NOW);
    store.set("/b", false, "v", 2L, false, NOW);
    store.set("/c", false, "v", 3L, false, NOW);
    long index = store.currentIndex();
    assertThat(store.postponeExpirations(10 * SECOND)).isEqualTo(3);
    assertThat(store.currentIndex()).isEqualTo(index);
    assertThat(store.deleteExpired(NOW + 10 * SECOND)).isEmpty();
    assertThat(store.nextExpiration()).hasValue(NOW + 11 * SECOND);
    assertThat(json(store.get("/a", false, false, NOW + 10 * SECOND))).contains("\"ttl\":1");
    assertThat(store.deleteExpired(NOW + 12 * SECOND))
        .extracting(Event::toString)
        .containsExactly("expire /a@4", "expire /b@5");
  }

  @Test
  void postponeExpirations_saturatesAndLeavesPermanentNodesAlone() {
    store.set("/forever", false, "v", null, false, NOW);
    store.set("/late", false, "v", Long.MAX_VALUE / 2_000_000_000L, false, NOW);
    store.set("/soon", false, "v", 1L, false, NOW);
    assertThat(store.postponeExpirations(Long.MAX_VALUE)).isEqualTo(2);
    assertThat(store.nextExpiration()).hasValue(Long.MAX_VALUE);
    assertThat(store.deleteExpired(Long.MAX_VALUE - 1)).isEmpty();
    assertThat(store.deleteExpired(Long.MAX_VALUE))
        .extracting(Event::toString)
        .containsExactly("expire /late@4", "expire /soon@5");
    assertThat(json(store.get("/forever", false, false, NOW))).contains("\"value\":\"v\"");
  }

  @Test
  void postponeExpirations_zeroChangesNothingAndNegativeIsRefused() {
    store.set("/a", false, "v", 1L, false, NOW);
    assertThat(store.postponeExpirations(0)).isEqualTo(1);
    assertThat(store.nextExpiration()).hasValue(NOW + SECOND);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.postponeExpirations(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
