package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static io.roster.store.StoreFixtures.json;
import static io.roster.store.StoreFixtures.mkdir;
import static io.roster.store.StoreFixtures.setFile;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** delete and compareAndDelete (§4.4, §4.5, E10, E23). */
class StoreDeleteTest {
  private final Store store = Store.create();

  @Test
  void delete_file_nodeHasNoValue() {
    setFile(store, "/message", "Hello etcd");
    Outcome o = store.delete("/message", false, false, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"delete\",\"node\":{\"key\":\"/message\",\"modifiedIndex\":2,"
                + "\"createdIndex\":1},\"prevNode\":{\"key\":\"/message\",\"value\":\"Hello etcd\","
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(o.httpStatus()).isEqualTo(200);
    assertThat(json(store.get("/message", false, false, NOW)))
        .isEqualTo(
            "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/message\",\"index\":2}");
  }

  @Test
  void delete_fileIgnoresDirAndRecursive() {
    setFile(store, "/a", "1");
    setFile(store, "/b", "2");
    assertThat(json(store.delete("/a", true, false, NOW))).contains("\"action\":\"delete\"");
    assertThat(json(store.delete("/b", false, true, NOW))).contains("\"action\":\"delete\"");
  }

  @Test
  void delete_directoryWithoutDir_102() {
    setFile(store, "/d1/x", "1");
    Outcome o = store.delete("/d1", false, false, NOW);
    assertThat(json(o))
        .isEqualTo("{\"errorCode\":102,\"message\":\"Not a file\",\"cause\":\"/d1\",\"index\":1}");
    assertThat(o.httpStatus()).isEqualTo(403);
  }

  @Test
  void delete_nonEmptyDirWithoutRecursive_108() {
    setFile(store, "/d1/x", "1");
    Outcome o = store.delete("/d1", true, false, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"errorCode\":108,\"message\":\"Directory not empty\",\"cause\":\"/d1\",\"index\":1}");
    assertThat(o.httpStatus()).isEqualTo(403);
  }

  @Test
  void delete_dirWithOnlyHiddenChildIsNotEmpty() {
    setFile(store, "/d/_h", "1");
    assertThat(json(store.delete("/d", true, false, NOW))).contains("\"errorCode\":108");
  }

  @Test
  void delete_emptyDirWithDir() {
    mkdir(store, "/d");
    assertThat(json(store.delete("/d", true, false, NOW)))
        .isEqualTo(
            "{\"action\":\"delete\",\"node\":{\"key\":\"/d\",\"dir\":true,\"modifiedIndex\":2,"
                + "\"createdIndex\":1},\"prevNode\":{\"key\":\"/d\",\"dir\":true,"
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
  }

  @Test
  void delete_recursive_oneEventAndSubtreeGone() {
    setFile(store, "/d1/a", "1");
    store.set("/d1/b/c", false, "2", 100L, false, NOW);
    setFile(store, "/d1/_hidden", "3");
    Outcome o = store.delete("/d1", false, true, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"delete\",\"node\":{\"key\":\"/d1\",\"dir\":true,\"modifiedIndex\":4,"
                + "\"createdIndex\":1},\"prevNode\":{\"key\":\"/d1\",\"dir\":true,"
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(store.currentIndex()).isEqualTo(4);
    assertThat(store.nextExpiration()).isEmpty();
    assertThat(json(store.get("/", true, false, NOW)))
        .isEqualTo("{\"action\":\"get\",\"node\":{\"dir\":true}}");
  }

  @Test
  void delete_root_107() {
    for (Outcome o :
        new Outcome[] {
          store.delete("/", false, false, NOW), store.delete("/", true, true, NOW),
        }) {
      assertThat(json(o))
          .isEqualTo(
              "{\"errorCode\":107,\"message\":\"Root is read only\",\"cause\":\"/\",\"index\":0}");
    }
  }

  @Test
  void delete_missing_firstMissingPrefix() {
    setFile(store, "/a", "1");
    assertThat(json(store.delete("/x/y/z", false, false, NOW))).contains("\"cause\":\"/x\"");
    assertThat(json(store.delete("/a/y", false, false, NOW)))
        .contains("\"errorCode\":104")
        .contains("\"cause\":\"/a\"");
  }

  @Test
  void compareAndDelete_success() {
    setFile(store, "/cas", "one");
    store.compareAndSwap("/cas", "one", 0, "two", null, false, NOW);
    Outcome o = store.compareAndDelete("/cas", "two", 2, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"compareAndDelete\",\"node\":{\"key\":\"/cas\",\"modifiedIndex\":3,"
                + "\"createdIndex\":1},\"prevNode\":{\"key\":\"/cas\",\"value\":\"two\","
                + "\"modifiedIndex\":2,\"createdIndex\":1}}");
    assertThat(o.httpStatus()).isEqualTo(200);
  }

  @Test
  void compareAndDelete_mismatch_101() {
    setFile(store, "/cas", "one");
    assertThat(json(store.compareAndDelete("/cas", "x", 5, NOW)))
        .isEqualTo(
            "{\"errorCode\":101,\"message\":\"Compare failed\",\"cause\":\"[x != one] [5 != 1]\","
                + "\"index\":1}");
    assertThat(json(store.compareAndDelete("/cas", null, 5, NOW))).contains("[5 != 1]");
  }

  @Test
  void compareAndDelete_root_102WithoutCause_E10() {
    Outcome o = store.compareAndDelete("/", null, 1, NOW);
    assertThat(json(o)).isEqualTo("{\"errorCode\":102,\"message\":\"Not a file\",\"index\":0}");
  }

  @Test
  void compareAndDelete_directory_102() {
    mkdir(store, "/d");
    assertThat(json(store.compareAndDelete("/d", "x", 0, NOW)))
        .isEqualTo("{\"errorCode\":102,\"message\":\"Not a file\",\"cause\":\"/d\",\"index\":1}");
  }

  @Test
  void compareAndDelete_missing_100() {
    assertThat(json(store.compareAndDelete("/nope", "x", 0, NOW))).contains("\"errorCode\":100");
  }

  @Test
  void compareAndDelete_removesTtl() {
    store.set("/k", false, "v", 5L, false, NOW);
    store.compareAndDelete("/k", "v", 0, NOW);
    assertThat(store.nextExpiration()).isEmpty();
    assertThat(store.deleteExpired(Long.MAX_VALUE)).isEmpty();
  }
}
