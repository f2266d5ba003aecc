package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static io.roster.store.StoreFixtures.SECOND;
import static io.roster.store.StoreFixtures.json;
import static io.roster.store.StoreFixtures.mkdir;
import static io.roster.store.StoreFixtures.setFile;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** update and compareAndSwap (§4.4, §4.5, E2, E3, E5, E8). */
class StoreUpdateCasTest {
  private final Store store = Store.create();

  @Test
  void update_removesTtlWhenNoneGiven() {
    store.set("/foo", false, "bar", 5L, false, NOW);
    Outcome o = store.update("/foo", "bar", null, false, NOW + SECOND);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"update\",\"node\":{\"key\":\"/foo\",\"value\":\"bar\","
                + "\"modifiedIndex\":2,\"createdIndex\":1},\"prevNode\":{\"key\":\"/foo\","
                + "\"value\":\"bar\",\"expiration\":\"2026-11-24T21:40:05Z\",\"ttl\":4,"
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(o.httpStatus()).isEqualTo(200);
    assertThat(store.nextExpiration()).isEmpty();
  }

  @Test
  void update_refreshKeepsValueAndCreatedIndex() {
    setFile(store, "/foo", "bar");
    Outcome o = store.update("/foo", "", 7L, true, NOW + 355_431_241);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"update\",\"node\":{\"key\":\"/foo\",\"value\":\"bar\","
                + "\"expiration\":\"2026-11-24T21:40:07.355431241Z\",\"ttl\":7,"
                + "\"modifiedIndex\":2,\"createdIndex\":1},\"prevNode\":{\"key\":\"/foo\","
                + "\"value\":\"bar\",\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(((Event) o).refresh()).isTrue();
    assertThat(store.nextExpiration()).hasValue(NOW + 355_431_241 + 7 * SECOND);
  }

  @Test
  void update_withoutValueSetsEmpty_E2() {
    setFile(store, "/k", "old");
    store.update("/k", "", 100L, false, NOW);
    assertThat(json(store.get("/k", false, false, NOW)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"key\":\"/k\",\"value\":\"\","
                + "\"expiration\":\"2026-11-24T21:41:40Z\",\"ttl\":100,"
                + "\"modifiedIndex\":2,\"createdIndex\":1}}");
  }

  @Test
  void update_addsTtlToPermanentThenChangesIt() {
    setFile(store, "/k", "v");
    store.update("/k", "v", 50L, false, NOW);
    assertThat(store.nextExpiration()).hasValue(NOW + 50 * SECOND);
    store.update("/k", "v", 10L, false, NOW);
    assertThat(store.nextExpiration()).hasValue(NOW + 10 * SECOND);
  }

  @Test
  void update_directoryTtl_eventShowsNewIndexStoredKeepsOld_E8() {
    mkdir(store, "/dir");
    Outcome o = store.update("/dir", "", 30L, false, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"update\",\"node\":{\"key\":\"/dir\",\"dir\":true,"
                + "\"expiration\":\"2026-11-24T21:40:30Z\",\"ttl\":30,\"modifiedIndex\":2,"
                + "\"createdIndex\":1},\"prevNode\":{\"key\":\"/dir\",\"dir\":true,"
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(json(store.get("/dir", false, false, NOW)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"key\":\"/dir\",\"dir\":true,"
                + "\"expiration\":\"2026-11-24T21:40:30Z\",\"ttl\":30,"
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
    Outcome again = store.update("/dir", "", null, false, NOW);
    assertThat(json(again))
        .contains("\"prevNode\":{\"key\":\"/dir\",\"dir\":true,\"expiration\"")
        .endsWith("\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(store.nextExpiration()).isEmpty();
  }

  @Test
  void update_directoryWithValue_102() {
    mkdir(store, "/dir");
    assertThat(json(store.update("/dir", "x", null, false, NOW)))
        .isEqualTo("{\"errorCode\":102,\"message\":\"Not a file\",\"cause\":\"/dir\",\"index\":1}");
  }

  @Test
  void update_missing_100() {
    assertThat(json(store.update("/casnew", "", null, false, NOW)))
        .isEqualTo(
            "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/casnew\",\"index\":0}");
  }

  @Test
  void update_root_107() {
    assertThat(json(store.update("/", "", null, false, NOW))).contains("\"errorCode\":107");
  }

  @Test
  void cas_valueMismatch_101() {
    setFile(store, "/cas", "one");
    Outcome o = store.compareAndSwap("/cas", "two", 0, "three", null, false, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"errorCode\":101,\"message\":\"Compare failed\",\"cause\":\"[two != one]\","
                + "\"index\":1}");
    assertThat(o.httpStatus()).isEqualTo(412);
  }

  @Test
  void cas_indexMismatch_101() {
    setFile(store, "/cas", "one");
    assertThat(json(store.compareAndSwap("/cas", null, 7, "three", null, false, NOW)))
        .contains("\"cause\":\"[7 != 1]\"");
  }

  @Test
  void cas_bothMismatch_101() {
    setFile(store, "/cas", "one");
    assertThat(json(store.compareAndSwap("/cas", "two", 7, "three", null, false, NOW)))
        .contains("\"cause\":\"[two != one] [7 != 1]\"");
  }

  @Test
  void cas_onlyFailingConditionReported() {
    setFile(store, "/cas", "one");
    assertThat(json(store.compareAndSwap("/cas", "one", 7, "x", null, false, NOW)))
        .contains("\"cause\":\"[7 != 1]\"");
    assertThat(json(store.compareAndSwap("/cas", "two", 1, "x", null, false, NOW)))
        .contains("\"cause\":\"[two != one]\"");
  }

  @Test
  void cas_success_keepsCreatedIndex() {
    setFile(store, "/cas", "one");
    Outcome o = store.compareAndSwap("/cas", "one", 0, "two", null, false, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"compareAndSwap\",\"node\":{\"key\":\"/cas\",\"value\":\"two\","
                + "\"modifiedIndex\":2,\"createdIndex\":1},\"prevNode\":{\"key\":\"/cas\","
                + "\"value\":\"one\",\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(o.httpStatus()).isEqualTo(200);
    assertThat(json(store.compareAndSwap("/cas", "two", 2, "three", null, false, NOW)))
        .contains("\"value\":\"three\"");
  }

  @Test
  void cas_emptyPrevValueMeansNoCondition() {
    setFile(store, "/cas", "one");
    assertThat(json(store.compareAndSwap("/cas", "", 1, "two", null, false, NOW)))
        .contains("\"action\":\"compareAndSwap\"");
  }

  @Test
  void cas_withoutTtlRemovesTtl_E3() {
    store.set("/k", false, "a", 10L, false, NOW);
    store.compareAndSwap("/k", "a", 0, "b", null, false, NOW);
    assertThat(store.nextExpiration()).isEmpty();
  }

  @Test
  void cas_refreshKeepsValue() {
    setFile(store, "/k", "a");
    Outcome o = store.compareAndSwap("/k", "a", 0, "", 3L, true, NOW);
    assertThat(json(o)).contains("\"node\":{\"key\":\"/k\",\"value\":\"a\",\"expiration\"");
    assertThat(((Event) o).refresh()).isTrue();
  }

  @Test
  void cas_missing_100_directory_102_root_107() {
    mkdir(store, "/d");
    assertThat(json(store.compareAndSwap("/casnew", "zzz", 0, "", null, false, NOW)))
        .contains("\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/casnew\"");
    assertThat(json(store.compareAndSwap("/d", "x", 0, "", null, false, NOW)))
        .contains("\"errorCode\":102")
        .contains("\"cause\":\"/d\"");
    assertThat(json(store.compareAndSwap("/", "x", 0, "", null, false, NOW)))
        .contains("\"errorCode\":107");
    assertThat(store.currentIndex()).isEqualTo(1);
  }

  @Test
  void cas_hugeUnsignedPrevIndexPrintedUnsigned() {
    setFile(store, "/k", "a");
    assertThat(json(store.compareAndSwap("/k", null, -1L, "b", null, false, NOW)))
        .contains("\"cause\":\"[18446744073709551615 != 1]\"");
  }
}
