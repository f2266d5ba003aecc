package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static io.roster.store.StoreFixtures.setFile;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoreStatsTest {

  @Test
  void stats_countSuccessAndFailurePerOperation() {
    Store store = Store.create();
    setFile(store, "/a", "1");
    setFile(store, "/", "x");
    store.get("/a", false, false, NOW);
    store.get("/nope", false, false, NOW);
    store.get("/nope", false, false, NOW);
    store.create("/b", false, "", false, null, NOW);
    store.create("/b", false, "", false, null, NOW);
    store.update("/a", "2", null, false, NOW);
    store.update("/zz", "2", null, false, NOW);
    store.compareAndSwap("/a", "2", 0, "3", null, false, NOW);
    store.compareAndSwap("/a", "x", 0, "3", null, false, NOW);
    store.compareAndDelete("/a", "x", 0, NOW);
    store.compareAndDelete("/a", "3", 0, NOW);
    store.delete("/b", false, false, NOW);
    store.delete("/b", false, false, NOW);
    store.watch("/w", false, false, 0, e -> true);
    assertThat(store.stats())
        .isEqualTo(new StoreStats(1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1));
  }
}
