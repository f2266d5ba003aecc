package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static io.roster.store.StoreFixtures.SECOND;
import static io.roster.store.StoreFixtures.json;
import static io.roster.store.StoreFixtures.mkdir;
import static io.roster.store.StoreFixtures.setFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.api.Action;
import io.roster.api.ErrorCode;
import org.junit.jupiter.api.Test;

/** set and create, against the spec's observed examples (§4.4, §4.5, §10, §17). */
class StoreSetCreateTest {
  private final Store store = Store.create();

  @Test
  void set_newKey_201() {
    Outcome o = setFile(store, "/message", "Hello world");
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"set\",\"node\":{\"key\":\"/message\",\"value\":\"Hello world\","
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(o.httpStatus()).isEqualTo(201);
    assertThat(o.index()).isEqualTo(1);
    assertThat(store.currentIndex()).isEqualTo(1);
  }

  @Test
  void set_existingKey_newCreatedIndexAndPrevNode_E1() {
    setFile(store, "/message", "Hello world");
    Outcome o = setFile(store, "/message", "Hello etcd");
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"set\",\"node\":{\"key\":\"/message\",\"value\":\"Hello etcd\","
                + "\"modifiedIndex\":2,\"createdIndex\":2},\"prevNode\":{\"key\":\"/message\","
                + "\"value\":\"Hello world\",\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(o.httpStatus()).isEqualTo(200);
  }

  @Test
  void set_emptyValueStillRendered() {
    assertThat(json(setFile(store, "/e", "")))
        .isEqualTo(
            "{\"action\":\"set\",\"node\":{\"key\":\"/e\",\"value\":\"\","
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
  }

  @Test
  void set_withTtl_showsExpirationAndRequestedTtl() {
    Outcome o = store.set("/foo", false, "bar", 5L, false, NOW + 7_750_629);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"bar\","
                + "\"expiration\":\"2026-11-24T21:40:05.007750629Z\",\"ttl\":5,"
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
  }

  @Test
  void set_ttlZero_expirationWithoutTtl_E4() {
    Outcome o = store.set("/z", false, "x", 0L, false, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"set\",\"node\":{\"key\":\"/z\",\"value\":\"x\","
                + "\"expiration\":\"2026-11-24T21:40:00Z\",\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(o.httpStatus()).isEqualTo(201);
    assertThat(store.nextExpiration()).hasValue(NOW);
  }

  @Test
  void set_withoutTtlClearsExistingTtl_E3() {
    store.set("/k", false, "a", 10L, false, NOW);
    Outcome o = store.set("/k", false, "b", null, false, NOW + SECOND);
    assertThat(json(o)).contains("\"node\":{\"key\":\"/k\",\"value\":\"b\",\"modifiedIndex\"");
    assertThat(json(o)).contains("\"prevNode\":{\"key\":\"/k\",\"value\":\"a\",\"expiration\"");
    assertThat(store.nextExpiration()).isEmpty();
  }

  @Test
  void set_directory() {
    assertThat(json(mkdir(store, "/dir")))
        .isEqualTo(
            "{\"action\":\"set\",\"node\":{\"key\":\"/dir\",\"dir\":true,"
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
  }

  @Test
  void set_existingDirectory_102_E6() {
    mkdir(store, "/dir");
    Outcome o = mkdir(store, "/dir");
    assertThat(json(o))
        .isEqualTo("{\"errorCode\":102,\"message\":\"Not a file\",\"cause\":\"/dir\",\"index\":1}");
    assertThat(o.httpStatus()).isEqualTo(403);
    assertThat(json(setFile(store, "/dir", "v"))).contains("\"errorCode\":102");
    assertThat(store.currentIndex()).isEqualTo(1);
  }

  @Test
  void set_dirReplacesFile_E7() {
    setFile(store, "/f", "v");
    Outcome o = mkdir(store, "/f");
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"set\",\"node\":{\"key\":\"/f\",\"dir\":true,\"modifiedIndex\":2,"
                + "\"createdIndex\":2},\"prevNode\":{\"key\":\"/f\",\"value\":\"v\","
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(o.httpStatus()).isEqualTo(200);
    assertThat(json(store.get("/f", false, false, NOW)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"key\":\"/f\",\"dir\":true,"
                + "\"modifiedIndex\":2,\"createdIndex\":2}}");
  }

  @Test
  void set_root_107() {
    Outcome o = setFile(store, "/", "x");
    assertThat(json(o))
        .isEqualTo(
            "{\"errorCode\":107,\"message\":\"Root is read only\",\"cause\":\"/\",\"index\":0}");
    assertThat(o.httpStatus()).isEqualTo(400);
    assertThat(json(store.set("/", false, "", 5L, true, NOW))).contains("\"errorCode\":107");
  }

  @Test
  void set_implicitParentsGetTheWriteIndexAndNoEvent() {
    setFile(store, "/x", "0");
    setFile(store, "/a/b/c", "v");
    assertThat(json(store.get("/a", true, true, NOW)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"key\":\"/a\",\"dir\":true,\"nodes\":[{\"key\":\"/a/b\","
                + "\"dir\":true,\"nodes\":[{\"key\":\"/a/b/c\",\"value\":\"v\",\"modifiedIndex\":2,"
                + "\"createdIndex\":2}],\"modifiedIndex\":2,\"createdIndex\":2}],"
                + "\"modifiedIndex\":2,\"createdIndex\":2}}");
    assertThat(store.currentIndex()).isEqualTo(2);
    RecordingSink sink = new RecordingSink();
    store.watch("/a", false, true, 1, sink);
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void set_underFile_104WithFileAsCause() {
    setFile(store, "/s/x", "file");
    assertThat(json(setFile(store, "/s/x/y", "v")))
        .isEqualTo(
            "{\"errorCode\":104,\"message\":\"Not a directory\",\"cause\":\"/s/x\",\"index\":1}");
    assertThat(json(setFile(store, "/s/x/y/z", "v"))).contains("\"cause\":\"/s/x\"");
    assertThat(store.currentIndex()).isEqualTo(1);
  }

  @Test
  void set_refreshKeepsValueAndChangesCreatedIndex_E5() {
    store.set("/foo", false, "bar", 5L, false, NOW);
    Outcome o = store.set("/foo", false, "", 9L, true, NOW + SECOND);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"bar\","
                + "\"expiration\":\"2026-11-24T21:40:10Z\",\"ttl\":9,\"modifiedIndex\":2,"
                + "\"createdIndex\":2},\"prevNode\":{\"key\":\"/foo\",\"value\":\"bar\","
                + "\"expiration\":\"2026-11-24T21:40:05Z\",\"ttl\":4,\"modifiedIndex\":1,"
                + "\"createdIndex\":1}}");
    assertThat(((Event) o).refresh()).isTrue();
  }

  @Test
  void set_refreshMissing_100() {
    assertThat(json(store.set("/nope/k", false, "", 5L, true, NOW)))
        .isEqualTo(
            "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/nope\",\"index\":0}");
  }

  @Test
  void set_refreshOnDirectory_102() {
    mkdir(store, "/d");
    assertThat(json(store.set("/d", true, "", 5L, true, NOW))).contains("\"errorCode\":102");
  }

  @Test
  void set_dirtyKeyRejected() {
    assertThatThrownBy(() -> setFile(store, "/a/", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.set("/a", false, "x", -1L, false, NOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.currentIndex()).isZero();
  }

  @Test
  void create_newKey_201() {
    Outcome o = store.create("/c", false, "v", false, null, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"create\",\"node\":{\"key\":\"/c\",\"value\":\"v\","
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThat(o.httpStatus()).isEqualTo(201);
  }

  @Test
  void create_existing_105() {
    setFile(store, "/cas", "one");
    Outcome o = store.create("/cas", false, "three", false, null, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"errorCode\":105,\"message\":\"Key already exists\",\"cause\":\"/cas\",\"index\":1}");
    assertThat(o.httpStatus()).isEqualTo(412);
    mkdir(store, "/dir");
    assertThat(json(store.create("/dir", true, "", false, null, NOW)))
        .contains("\"errorCode\":105");
  }

  @Test
  void create_root_107() {
    assertThat(json(store.create("/", true, "", false, null, NOW))).contains("\"errorCode\":107");
  }

  @Test
  void create_unique_inOrderKeysNamedByIndex() {
    setFile(store, "/other", "x");
    Outcome a = store.create("/queue", false, "Job1", true, null, NOW);
    setFile(store, "/other", "y");
    Outcome b = store.create("/queue", false, "Job2", true, null, NOW);
    assertThat(json(a))
        .isEqualTo(
            "{\"action\":\"create\",\"node\":{\"key\":\"/queue/00000000000000000002\","
                + "\"value\":\"Job1\",\"modifiedIndex\":2,\"createdIndex\":2}}");
    assertThat(((Event) b).key()).isEqualTo("/queue/00000000000000000004");
    assertThat(json(store.get("/queue", false, false, NOW)))
        .contains("\"modifiedIndex\":2,\"createdIndex\":2}}");
  }

  @Test
  void create_uniqueOnRoot_allowed() {
    Outcome o = store.create("/", false, "x", true, null, NOW);
    assertThat(((Event) o).key()).isEqualTo("/00000000000000000001");
    assertThat(o.httpStatus()).isEqualTo(201);
  }

  @Test
  void create_uniqueDirectory() {
    Outcome o = store.create("/q", true, "ignored", true, null, NOW);
    assertThat(json(o))
        .isEqualTo(
            "{\"action\":\"create\",\"node\":{\"key\":\"/q/00000000000000000001\",\"dir\":true,"
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
  }

  @Test
  void create_uniqueUnderFile_104() {
    setFile(store, "/f", "x");
    assertThat(json(store.create("/f", false, "y", true, null, NOW)))
        .isEqualTo(
            "{\"errorCode\":104,\"message\":\"Not a directory\",\"cause\":\"/f\",\"index\":1}");
    assertThat(json(store.create("/f/x/y", false, "y", false, null, NOW)))
        .contains("\"cause\":\"/f\"");
  }

  @Test
  void create_failureLeavesNoImplicitDirs() {
    setFile(store, "/f", "x");
    store.create("/f/a/b", false, "y", false, null, NOW);
    assertThat(json(store.get("/", true, false, NOW)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":[{\"key\":\"/f\",\"value\":\"x\","
                + "\"modifiedIndex\":1,\"createdIndex\":1}]}}");
  }

  @Test
  void event_metadataMatchesBody() {
    Event e = (Event) store.create("/d", true, "", false, null, NOW);
    assertThat(e.action()).isEqualTo(Action.CREATE);
    assertThat(e.key()).isEqualTo("/d");
    assertThat(e.dir()).isTrue();
    assertThat(e.index()).isEqualTo(1);
    assertThat(e.refresh()).isFalse();
    assertThat(e).hasToString("create /d@1");
  }

  @Test
  void errors_carryTheCurrentIndex() {
    setFile(store, "/a", "1");
    setFile(store, "/b", "2");
    StoreError e = (StoreError) store.create("/a", false, "x", false, null, NOW);
    assertThat(e.code()).isEqualTo(ErrorCode.NODE_EXIST);
    assertThat(e.index()).isEqualTo(2);
  }
}
