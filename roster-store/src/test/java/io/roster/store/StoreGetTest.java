package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static io.roster.store.StoreFixtures.SECOND;
import static io.roster.store.StoreFixtures.json;
import static io.roster.store.StoreFixtures.mkdir;
import static io.roster.store.StoreFixtures.setFile;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** get (§4.4, §5.1, E9, E12, §10 sorting, §11 hidden keys). */
class StoreGetTest {
  private final Store store = Store.create();

  @Test
  void get_emptyRoot_E9() {
    Outcome o = store.get("/", false, false, NOW);
    assertThat(json(o)).isEqualTo("{\"action\":\"get\",\"node\":{\"dir\":true}}");
    assertThat(o.httpStatus()).isEqualTo(200);
    assertThat(o.index()).isZero();
  }

  @Test
  void get_nonEmptyRootHasNoKeyOrIndices() {
    setFile(store, "/message", "Hello etcd");
    assertThat(json(store.get("/", false, false, NOW)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":[{\"key\":\"/message\","
                + "\"value\":\"Hello etcd\",\"modifiedIndex\":1,\"createdIndex\":1}]}}");
  }

  @Test
  void get_file() {
    setFile(store, "/message", "Hello etcd");
    setFile(store, "/other", "x");
    Outcome o = store.get("/message", false, false, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"key\":\"/message\",\"value\":\"Hello etcd\","
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(o.index()).isEqualTo(2);
  }

  @Test
  void get_missing_firstMissingPrefix() {
    Outcome o = store.get("/a/b", false, false, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/a\",\"index\":0}");
    assertThat(o.httpStatus()).isEqualTo(404);
    mkdir(store, "/a");
    assertThat(json(store.get("/a/b/c", false, false, NOW))).contains("\"cause\":\"/a/b\"");
  }

  @Test
  void get_throughFile_104() {
    setFile(store, "/f", "x");
    Outcome o = store.get("/f/g/h", false, false, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"errorCode\":104,\"message\":\"Not a directory\",\"cause\":\"/f\",\"index\":1}");
    assertThat(o.httpStatus()).isEqualTo(400);
  }

  @Test
  void get_directoryNonRecursive_childDirsWithoutNodes() {
    setFile(store, "/d/a", "1");
    setFile(store, "/d/sub/x", "2");
    assertThat(json(store.get("/d", false, false, NOW)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"key\":\"/d\",\"dir\":true,\"nodes\":["
                + "{\"key\":\"/d/a\",\"value\":\"1\",\"modifiedIndex\":1,\"createdIndex\":1},"
                + "{\"key\":\"/d/sub\",\"dir\":true,\"modifiedIndex\":2,\"createdIndex\":2}],"
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
  }

  @Test
  void get_recursive_wholeSubtree_emptyNodesOmitted() {
    setFile(store, "/d/a", "1");
    setFile(store, "/d/sub/x", "2");
    mkdir(store, "/d/empty");
    assertThat(json(store.get("/d", true, true, NOW)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"key\":\"/d\",\"dir\":true,\"nodes\":["
                + "{\"key\":\"/d/a\",\"value\":\"1\",\"modifiedIndex\":1,\"createdIndex\":1},"
                + "{\"key\":\"/d/empty\",\"dir\":true,\"modifiedIndex\":3,\"createdIndex\":3},"
                + "{\"key\":\"/d/sub\",\"dir\":true,\"nodes\":[{\"key\":\"/d/sub/x\",\"value\":\"2\","
                + "\"modifiedIndex\":2,\"createdIndex\":2}],\"modifiedIndex\":2,\"createdIndex\":2}],"
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
  }

  @Test
  void get_hiddenChildrenOmittedAtEveryLevel() {
    setFile(store, "/s/_hid", "h");
    setFile(store, "/s/v", "v");
    setFile(store, "/s/sub/_x", "h");
    setFile(store, "/_top", "h");
    assertThat(json(store.get("/", true, false, NOW)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":[{\"key\":\"/s\",\"dir\":true,"
                + "\"nodes\":[{\"key\":\"/s/sub\",\"dir\":true,\"modifiedIndex\":3,"
                + "\"createdIndex\":3},{\"key\":\"/s/v\",\"value\":\"v\",\"modifiedIndex\":2,"
                + "\"createdIndex\":2}],\"modifiedIndex\":1,\"createdIndex\":1}]}}");
  }

  @Test
  void get_hiddenKeyDirectlyIsVisible() {
    setFile(store, "/s/_hid", "h");
    assertThat(json(store.get("/s/_hid", false, false, NOW))).contains("\"value\":\"h\"");
  }

  @Test
  void get_sortedByFullKeyBytes() {
    for (String k : new String[] {"b", "a", "B", "a0", "_z", "😀", "\uffff", "中"}) {
      setFile(store, "/d/" + k, k);
    }
    String sorted = json(store.get("/d", false, true, NOW));
    String unsorted = json(store.get("/d", false, false, NOW));
    assertThat(sorted).isEqualTo(unsorted);
    int[] positions =
        java.util.stream.Stream.of("/d/B", "/d/a", "/d/a0", "/d/b", "/d/中", "/d/\uffff", "/d/😀")
            .mapToInt(k -> sorted.indexOf("\"key\":\"" + k + "\""))
            .toArray();
    assertThat(positions).isSorted().doesNotContain(-1);
  }

  @Test
  void get_ttlComputedWithCallersNow() {
    store.set("/t", false, "v", 5L, false, NOW);
    assertThat(json(store.get("/t", false, false, NOW + 1_300_000_000L)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"key\":\"/t\",\"value\":\"v\","
                + "\"expiration\":\"2026-11-24T21:40:05Z\",\"ttl\":4,\"modifiedIndex\":1,"
                + "\"createdIndex\":1}}");
    assertThat(json(store.get("/t", false, false, NOW + 5 * SECOND)))
        .doesNotContain("\"ttl\"")
        .contains("\"expiration\"");
    assertThat(json(store.get("/t", false, false, NOW + 7 * SECOND))).contains("\"ttl\":-2");
  }

  @Test
  void get_ttlOfChildrenInListing() {
    store.set("/d/t", false, "v", 60L, false, NOW);
    assertThat(json(store.get("/d", false, false, NOW + 30 * SECOND)))
        .contains("\"expiration\":\"2026-11-24T21:41:00Z\",\"ttl\":30");
  }

  @Test
  void get_escapesValuesLikeGo_E25() {
    setFile(store, "/bin", "\ufffd\ufffd<&>");
    assertThat(json(store.get("/bin", false, false, NOW)))
        .contains("\"value\":\"\\ufffd\\ufffd\\u003c\\u0026\\u003e\"");
  }

  @Test
  void get_unicodeKey() {
    setFile(store, "/中", "v");
    setFile(store, "/sp ace", "v");
    assertThat(json(store.get("/中", false, false, NOW))).contains("\"key\":\"/中\"");
    assertThat(json(store.get("/sp ace", false, false, NOW))).contains("\"key\":\"/sp ace\"");
  }

  @Test
  void get_deepTreeRendersWithoutRecursion() {
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < 4_000; i++) {
      key.append("/d");
    }
    setFile(store, key.toString(), "deep");
    String body = json(store.get("/", true, false, NOW));
    assertThat(body).endsWith("}]}}").contains("\"value\":\"deep\"");
    assertThat(store.delete("/d", true, true, NOW)).isInstanceOf(Event.class);
  }
}
