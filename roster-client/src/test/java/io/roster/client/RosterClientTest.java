package io.roster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roster.api.Action;
import io.roster.api.ErrorCode;
import io.roster.testkit.InProcessRoster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every KV operation and error mapping against a real in-process Roster server. */
class RosterClientTest {
  private static InProcessRoster roster;
  private static RosterClient client;

  @BeforeAll
  static void start() throws Exception {
    roster = InProcessRoster.start("kv");
    client = RosterClient.builder().endpoints(roster.clientUrl()).build();
    BadAnswersTest.awaitQuorumReads(client);
  }

  @AfterAll
  static void stop() {
    client.close();
    roster.close();
  }

  private static ErrorCode codeOf(Runnable r) {
    try {
      r.run();
    } catch (RosterException e) {
      return e.code();
    }
    throw new AssertionError("no RosterException");
  }

  @Test
  void set_thenGet_roundTripsNodeAndHeaders() {
    KeyResponse put = client.set("/kv/set/a", "hello world", WriteOptions.defaults());
    assertThat(put.action()).isEqualTo(Action.SET);
    assertThat(put.node()).isNotNull();
    assertThat(put.node().key()).isEqualTo("/kv/set/a");
    assertThat(put.node().value()).isEqualTo("hello world");
    assertThat(put.node().modifiedIndex()).isEqualTo(put.etcdIndex());
    assertThat(put.raftIndex()).isPositive();
    assertThat(put.raftTerm()).isPositive();
    assertThat(put.prevNode()).isNull();

    KeyResponse got = client.get("/kv/set/a", GetOptions.defaults());
    assertThat(got.action()).isEqualTo(Action.GET);
    assertThat(got.node()).isEqualTo(put.node());
    assertThat(got.etcdIndex()).isGreaterThanOrEqualTo(put.etcdIndex());

    KeyResponse again = client.set("kv/set/a", "v2", WriteOptions.defaults());
    assertThat(again.prevNode()).isNotNull();
    assertThat(java.util.Objects.requireNonNull(again.prevNode()).value()).isEqualTo("hello world");
  }

  @Test
  void get_missing_keyNotFoundWithCauseAndIndex() {
    assertThatThrownBy(() -> client.get("/kv/missing/x", GetOptions.defaults()))
        .isInstanceOfSatisfying(
            RosterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.KEY_NOT_FOUND);
              assertThat(e.errorCause()).isEqualTo("/kv/missing");
              assertThat(e.index()).isPositive();
            });
  }

  @Test
  void get_recursiveSortedQuorum_returnsSubtreeInKeyOrder() {
    client.set("/kv/tree/b/x", "1", WriteOptions.defaults());
    client.set("/kv/tree/a", "2", WriteOptions.defaults());
    client.set("/kv/tree/c", "3", WriteOptions.defaults());
    Node dir =
        client
            .get(
                "/kv/tree",
                GetOptions.defaults().withRecursive(true).withSorted(true).withQuorum(true))
            .node();
    assertThat(dir.dir()).isTrue();
    assertThat(dir.nodes())
        .extracting(Node::key)
        .containsExactly("/kv/tree/a", "/kv/tree/b", "/kv/tree/c");
    assertThat(dir.nodes().get(1).nodes()).extracting(Node::value).containsExactly("1");
    assertThat(client.list("/kv/tree"))
        .extracting(Node::key)
        .containsExactly("/kv/tree/a", "/kv/tree/b", "/kv/tree/c");
    assertThat(client.list("/kv/tree").get(1).nodes()).isEmpty();
  }

  @Test
  void create_existing_nodeExist105() {
    KeyResponse c = client.create("/kv/create/a", "1", WriteOptions.defaults());
    assertThat(c.action()).isEqualTo(Action.CREATE);
    assertThat(codeOf(() -> client.create("/kv/create/a", "2", WriteOptions.defaults())))
        .isEqualTo(ErrorCode.NODE_EXIST);
  }

  @Test
  void update_keepsCreatedIndex_andMissingIs100() {
    KeyResponse c = client.set("/kv/update/a", "1", WriteOptions.defaults());
    KeyResponse u = client.update("/kv/update/a", "2", WriteOptions.defaults());
    assertThat(u.action()).isEqualTo(Action.UPDATE);
    assertThat(u.node().createdIndex()).isEqualTo(c.node().createdIndex());
    assertThat(u.node().modifiedIndex()).isGreaterThan(c.node().modifiedIndex());
    assertThat(java.util.Objects.requireNonNull(u.prevNode()).value()).isEqualTo("1");
    assertThat(codeOf(() -> client.update("/kv/update/none", "2", WriteOptions.defaults())))
        .isEqualTo(ErrorCode.KEY_NOT_FOUND);
  }

  @Test
  void compareAndSwap_prevValueAndPrevIndex() {
    KeyResponse c = client.set("/kv/cas/a", "one", WriteOptions.defaults());
    KeyResponse s =
        client.compareAndSwap("/kv/cas/a", "two", Compare.value("one"), WriteOptions.defaults());
    assertThat(s.action()).isEqualTo(Action.COMPARE_AND_SWAP);
    assertThatThrownBy(
            () ->
                client.compareAndSwap(
                    "/kv/cas/a", "x", Compare.value("one"), WriteOptions.defaults()))
        .isInstanceOfSatisfying(
            RosterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.TEST_FAILED);
              assertThat(e.errorCause()).isEqualTo("[one != two]");
            });
    assertThat(
            codeOf(
                () ->
                    client.compareAndSwap(
                        "/kv/cas/a", "x", Compare.index(c.etcdIndex()), WriteOptions.defaults())))
        .isEqualTo(ErrorCode.TEST_FAILED);
    KeyResponse byIndex =
        client.compareAndSwap(
            "/kv/cas/a", "three", Compare.index(s.etcdIndex()), WriteOptions.defaults());
    assertThat(byIndex.node().value()).isEqualTo("three");
  }

  @Test
  void compareAndDelete_andDeleteVariants() {
    KeyResponse c = client.set("/kv/del/a", "1", WriteOptions.defaults());
    assertThat(
            codeOf(() -> client.compareAndDelete("/kv/del/a", Compare.index(c.etcdIndex() + 1000))))
        .isEqualTo(ErrorCode.TEST_FAILED);
    KeyResponse d = client.compareAndDelete("/kv/del/a", Compare.value("1"));
    assertThat(d.action()).isEqualTo(Action.COMPARE_AND_DELETE);
    assertThat(d.node().value()).isNull();
    assertThat(java.util.Objects.requireNonNull(d.prevNode()).value()).isEqualTo("1");

    client.set("/kv/del/dir/x", "1", WriteOptions.defaults());
    assertThat(codeOf(() -> client.delete("/kv/del/dir"))).isEqualTo(ErrorCode.NOT_FILE);
    assertThat(codeOf(() -> client.deleteDir("/kv/del/dir", false)))
        .isEqualTo(ErrorCode.DIR_NOT_EMPTY);
    assertThat(client.deleteDir("/kv/del/dir", true).action()).isEqualTo(Action.DELETE);
    assertThat(codeOf(() -> client.delete("/kv/del/dir"))).isEqualTo(ErrorCode.KEY_NOT_FOUND);
    assertThat(codeOf(() -> client.delete("/"))).isEqualTo(ErrorCode.ROOT_READ_ONLY);
  }

  @Test
  void mkdir_andCreateInOrder_sortInCreationOrder() {
    KeyResponse m = client.mkdir("/kv/queue", WriteOptions.defaults());
    assertThat(m.node().dir()).isTrue();
    assertThat(codeOf(() -> client.mkdir("/kv/queue", WriteOptions.defaults())))
        .isEqualTo(ErrorCode.NODE_EXIST);
    KeyResponse first = client.createInOrder("/kv/queue", "first", WriteOptions.defaults());
    KeyResponse second = client.createInOrder("/kv/queue", "second", WriteOptions.defaults());
    assertThat(first.node().key()).matches("/kv/queue/\\d{20}");
    List<Node> items = client.list("/kv/queue");
    assertThat(items).extracting(Node::value).containsExactly("first", "second");
    assertThat(items.get(1).key()).isEqualTo(second.node().key());
    client.set("/kv/file", "f", WriteOptions.defaults());
    assertThat(codeOf(() -> client.createInOrder("/kv/file", "x", WriteOptions.defaults())))
        .isEqualTo(ErrorCode.NOT_DIR);
  }

  @Test
  void ttl_setAndRefresh_keepValueAndReportExpiration() {
    KeyResponse s = client.set("/kv/ttl/a", "v", WriteOptions.ttlOf(Duration.ofSeconds(30)));
    assertThat(s.node().expiration()).isNotNull();
    assertThat(s.node().ttl()).isBetween(1L, 30L);
    KeyResponse r = client.refresh("/kv/ttl/a", Duration.ofSeconds(60));
    assertThat(r.node().value()).isEqualTo("v");
    assertThat(r.node().ttl()).isGreaterThan(30L);
    assertThat(codeOf(() -> client.refresh("/kv/ttl/none", Duration.ofSeconds(5))))
        .isEqualTo(ErrorCode.KEY_NOT_FOUND);
    KeyResponse permanent = client.set("/kv/ttl/a", "v", WriteOptions.defaults());
    assertThat(permanent.node().expiration()).isNull();
  }

  @Test
  void asyncForms_completeWithTheSameResults() throws Exception {
    KeyResponse s = client.setAsync("/kv/async/a", "1", WriteOptions.defaults()).get();
    assertThat(client.getAsync("/kv/async/a", GetOptions.defaults()).get().node())
        .isEqualTo(s.node());
    assertThatThrownBy(() -> client.getAsync("/kv/async/none", GetOptions.defaults()).join())
        .hasCauseInstanceOf(RosterException.class);
  }

  @Test
  void keysWithSpacesAndUnicode_areEncoded() {
    client.set("/kv/enc/sp ace/中?x", "v", WriteOptions.defaults());
    assertThat(client.get("/kv/enc/sp ace/中?x", GetOptions.defaults()).node().key())
        .isEqualTo("/kv/enc/sp ace/中?x");
  }

  @Test
  void refreshMembers_reportsTheServersClientUrl() throws Exception {
    assertThat(client.refreshMembers()).contains(roster.clientUrl());
    assertThat(client.endpoints()).containsExactly(roster.clientUrl());
  }
}
