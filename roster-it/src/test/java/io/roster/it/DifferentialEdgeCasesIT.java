package io.roster.it;

import static io.roster.it.DiffRequest.delete;
import static io.roster.it.DiffRequest.get;
import static io.roster.it.DiffRequest.head;
import static io.roster.it.DiffRequest.of;
import static io.roster.it.DiffRequest.post;
import static io.roster.it.DiffRequest.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Differential compatibility, scripted edge cases: the edge cases E1–E26 of the reference spec
 * (§17) and the §4.5 examples, each sent to real etcd 3.4.23 and to the server under test through
 * one {@link Differ} (see {@link Normalized} for what is normalised). E15/E16 are deliberate Roster
 * improvements, asserted per server in {@link WatchStreamIT} instead of diffed; the §3.3 validation
 * table and the other endpoints are in {@link DifferentialRequestsIT}, the seeded random sequences
 * in {@link DifferentialRandomIT}.
 *
 * <p>Long (about 550 lines): one short script per edge case, kept in one class so that the
 * E-numbers read in order and share one pair of servers.
 */
@ExtendWith(DumpLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DifferentialEdgeCasesIT {
  @RegisterExtension static final DiffServers servers = new DiffServers("diff-edge");

  private final Differ d = servers.differ();

  static String f(String... kv) {
    return EtcdV2Http.form(kv);
  }

  /** E9 needs an empty store, so it runs first. */
  @Test
  @Order(1)
  void e09_rootOfEmptyStore() {
    d.rebase("E9 root of an empty store");
    d.sendAll(get("/"), of("GET", "/v2/keys"), get("/?recursive=true&sorted=true"), head("/"));
    d.assertNoMismatch();
  }

  @Test
  @Order(2)
  void examples_4_5() {
    d.rebase("§4.5 examples: message");
    d.sendAll(
        put("/message", f("value", "Hello world")),
        put("/message", f("value", "Hello etcd")),
        get("/message"),
        delete("/message"),
        get("/message"),
        get("/"));
    d.assertNoMismatch();

    d.rebase("§4.5 examples: ttl and refresh");
    d.sendAll(
        put("/foo", f("value", "bar", "ttl", "5000")),
        put("/foo", "value=bar&ttl=&prevExist=true"),
        put("/foo", "ttl=7000&refresh=true&prevExist=true"),
        put("/foo", "ttl=9000&refresh=true"),
        get("/foo"),
        delete("/foo"));
    d.assertNoMismatch();

    d.rebase("§4.5 examples: compare-and-swap");
    d.sendAll(
        put("/cas", "value=one"),
        put("/cas?prevExist=false", "value=three"),
        put("/cas?prevValue=two", "value=three"),
        put("/cas?prevIndex={i:1000}", "value=three"),
        put("/cas?prevIndex={i:1000}&prevValue=two", ""),
        put("/cas?prevIndex=0&prevValue=one", "value=two"),
        put("/casnew?prevValue=zzz", ""),
        put("/casnew?prevExist=true", ""),
        delete("/cas?prevIndex={i:1}&prevValue=two"),
        delete("/cas?prevIndex={i:2}&prevValue=one"),
        delete("/cas?prevIndex={i:2}&prevValue=two"),
        get("/cas"));
    d.assertNoMismatch();

    d.rebase("§4.5 examples: directories");
    d.sendAll(
        put("/dir", "dir=true"),
        put("/dir", "dir=true"),
        put("/dir?prevExist=false", "dir=true"),
        put("/dir?prevExist=true", "dir=true&ttl=3000"),
        put("/dir?prevExist=true", "dir=true&value=x"),
        put("/d1/x", "value=1"),
        delete("/d1"),
        delete("/d1?dir=true"),
        delete("/d1?recursive=true"),
        delete("/"),
        put("/", "value=x"),
        delete("?recursive=true"),
        post("/", "value=x"),
        delete("/dir?dir=true"));
    d.assertNoMismatch();
  }

  @Test
  @Order(10)
  void e01_setReplacesTheNode() {
    d.rebase("E1 set replaces the node, update/CAS keep createdIndex");
    d.sendAll(
        put("/e01/k", "value=x"),
        put("/e01/k", "value=y"),
        put("/e01/k?prevExist=true", "value=z"),
        put("/e01/k?prevValue=z", "value=w"),
        put("/e01/k?prevIndex={i:4}", "value=v"),
        get("/e01/k"));
    d.assertNoMismatch();
  }

  @Test
  @Order(11)
  void e02_updateWithoutValueEmptiesIt() {
    d.rebase("E2 update without value");
    d.sendAll(
        put("/e02/k", "value=a"),
        put("/e02/k?prevExist=true", "ttl=10000"),
        get("/e02/k"),
        put("/e02/k", "value=b&ttl=10000"),
        put("/e02/k?prevExist=true&refresh=true", "ttl=10000"),
        get("/e02/k"));
    d.assertNoMismatch();
  }

  @Test
  @Order(12)
  void e03_writesWithoutTtlMakeItPermanent() {
    d.rebase("E3 writes without ttl clear the TTL");
    d.sendAll(
        put("/e03/k", "value=a&ttl=10000"),
        put("/e03/k?prevExist=true", "value=b"),
        get("/e03/k"),
        put("/e03/k", "value=c&ttl=10000"),
        put("/e03/k?prevValue=c", "value=d"),
        get("/e03/k"),
        put("/e03/k", "value=e&ttl=10000"),
        put("/e03/k", "value=f"),
        get("/e03/k"),
        put("/e03/k", "value=g&ttl=10000"),
        put("/e03/k?prevIndex={i:10}", "value=h&ttl=20000"),
        get("/e03/k"));
    d.assertNoMismatch();
  }

  @Test
  @Order(13)
  void e04_ttlZeroExpiresAtOnce() {
    d.rebase("E4 ttl=0");
    d.send(put("/e04/k", "value=x&ttl=0"));
    awaitGone("/e04/k");
    d.sendAll(get("/e04/k"), get("/e04?recursive=true"));
    d.send(put("/e04/d", "dir=true&ttl=0"));
    awaitGone("/e04/d");
    d.sendAll(get("/e04/d"), get("/e04"));
    d.assertNoMismatch();
  }

  @Test
  @Order(14)
  void e05_refreshDoesNotNotify() {
    d.rebase("E5 refresh");
    d.send(put("/e05/k", "value=v&ttl=10000"));
    try (Differ.Watch live = d.watch(get("/e05/k?wait=true"))) {
      d.send(put("/e05/k?prevExist=true&refresh=true", "ttl=5000"));
      assertNoEvent(live.next(700));
      try (Differ.Watch fromHistory = d.watch(get("/e05/k?wait=true&waitIndex={i:2}"))) {
        assertNoEvent(fromHistory.next(500));
        d.send(put("/e05/k", "value=v2"));
        live.next(3000);
        fromHistory.next(3000);
      }
    }
    d.sendAll(
        put("/e05/k?refresh=true", "ttl=6000"),
        get("/e05/k"),
        put("/e05/k?refresh=true&prevValue=v2", "ttl=7000"),
        put("/e05/k?refresh=true&prevIndex={i:4}", "ttl=8000"),
        put("/e05/missing?refresh=true", "ttl=8000"),
        put("/e05/missing?refresh=true&prevExist=true", "ttl=8000"),
        put("/e05/missing?refresh=true&prevExist=false", "ttl=8000"),
        put("/e05/d", "dir=true"),
        put("/e05/d?refresh=true", "ttl=5000"),
        put("/e05/d?refresh=true&prevExist=true", "ttl=5000"),
        get("/e05?recursive=true"));
    d.assertNoMismatch();
  }

  @Test
  @Order(15)
  void e06_e07_e08_directories() {
    d.rebase("E6/E7/E8 directories");
    d.sendAll(
        put("/e06/d", "dir=true"),
        put("/e06/d", "dir=true"),
        put("/e06/d?dir=true", ""),
        put("/e07/f", "value=x"),
        put("/e07/f?dir=true", ""),
        get("/e07/f"),
        put("/e07/g", "value=x"),
        put("/e07/g?dir=true&prevExist=true", ""),
        get("/e07/g"),
        put("/e08/d", "dir=true"),
        put("/e08/d?prevExist=true", "dir=true&ttl=10000"),
        get("/e08/d"),
        put("/e08/d?prevExist=true", "dir=true"),
        put("/e08/d/child", "value=c"),
        get("/e08?recursive=true"),
        put("/e08/d?prevValue=x", "value=y"),
        delete("/e08/d?prevValue=x"),
        delete("/e08/d?prevIndex={i:1}"));
    d.assertNoMismatch();
  }

  @Test
  @Order(16)
  void e10_rootIsReadOnly() {
    d.rebase("E10 root writes");
    d.sendAll(
        delete("/?prevIndex={i:1}"),
        delete("/?prevValue=x"),
        delete("/"),
        of("DELETE", "/v2/keys"),
        put("/", "value=x"),
        delete("/?recursive=true"),
        delete("/?dir=true"),
        put("/?prevExist=true", "value=x"),
        put("/?prevValue=a", "value=x"),
        put("/?prevExist=false", "value=x"),
        put("/?dir=true", ""),
        put("/?refresh=true", "ttl=5000"));
    d.assertNoMismatch();
  }

  @Test
  @Order(17)
  void e11_waitWithQuorumAndHead() {
    d.rebase("E11 wait+quorum, HEAD");
    d.sendAll(
        put("/e11/k", "value=a"),
        get("/e11/k?wait=true&quorum=true"),
        get("/e11/k?quorum=true"),
        get("/e11?quorum=true&recursive=true"),
        head("/e11/k?wait=true"),
        head("/e11/k?quorum=true"),
        head("/e11/k?wait=true&quorum=true"),
        head("/e11/missing"),
        head("/e11"));
    d.assertNoMismatch();
  }

  @Test
  @Order(18)
  void e12_hiddenKeysInWatches() {
    d.rebase("E12 hidden keys and watches");
    d.send(put("/e12/s/a", "value=1"));
    try (Differ.Watch w = d.watch(get("/e12/s?wait=true&recursive=true"))) {
      d.send(put("/e12/s/_hid", "value=h"));
      assertNoEvent(w.next(700));
      d.send(get("/e12/s?wait=true&recursive=true&waitIndex={i:2}"));
      d.send(put("/e12/s/b", "value=2"));
      w.next(3000);
    }
    try (Differ.Watch direct = d.watch(get("/e12/s/_hid?wait=true"))) {
      d.send(put("/e12/s/_hid", "value=h2"));
      direct.next(3000);
    }
    try (Differ.Watch nested = d.watch(get("/e12?wait=true&recursive=true"))) {
      d.send(put("/e12/_h/x", "value=1"));
      assertNoEvent(nested.next(500));
      d.send(put("/e12/s/c", "value=1"));
      nested.next(3000);
    }
    d.sendAll(get("/e12/s"), get("/e12/s/_hid"), get("/e12?recursive=true"), get("/e12/_h"));
    d.assertNoMismatch();
  }

  @Test
  @Order(19)
  void e13_historyScanPrefixFalsePositive() {
    d.rebase("E13 history scan string prefix");
    d.sendAll(put("/e13/zz/a", "value=1"), delete("/e13/zz?recursive=true"));
    try (Differ.Watch w = d.watch(get("/e13/zzz?wait=true&waitIndex={i:2}"))) {
      w.next(1500);
    }
    try (Differ.Watch w = d.watch(get("/e13/zz/a/b?wait=true&waitIndex={i:2}"))) {
      w.next(1500);
    }
    d.assertNoMismatch();
  }

  @Test
  @Order(20)
  void e14_watchOnMissingPathUnderDeletedDir() {
    d.rebase("E14 ghost watcher under a deleted dir");
    d.send(put("/e14/dd/exists", "value=1"));
    try (Differ.Watch ghost = d.watch(get("/e14/dd/ghost?wait=true"));
        Differ.Watch exists = d.watch(get("/e14/dd/exists?wait=true"));
        Differ.Watch dir = d.watch(get("/e14/dd?wait=true"))) {
      d.send(delete("/e14/dd?recursive=true"));
      exists.next(3000);
      dir.next(3000);
      assertNoEvent(ghost.next(700));
    }
    d.send(get("/e14/dd/ghost?wait=true&waitIndex={i:2}"));
    d.assertNoMismatch();
  }

  @Test
  @Order(23)
  void e17_historyWindowOf1000Events() {
    d.rebase("E17 history cleared");
    for (int n = 0; n < 1100; n++) {
      d.send(put("/e17/k" + (n % 10), "value=" + n));
    }
    d.sendAll(
        get("/e17?wait=true&recursive=true&waitIndex={i:101}"),
        get("/e17?wait=true&recursive=true&waitIndex={i:100}"),
        get("/e17/k0?wait=true&waitIndex={i:50}"),
        get("/e17/k3?wait=true&waitIndex={i:1093}"));
    d.assertNoMismatch();
  }

  @Test
  @Order(24)
  void e18_watchIndexHeader() {
    d.rebase("E18 X-Etcd-Index on watches");
    d.sendAll(put("/e18/p", "value=1"), put("/e18/q", "value=1"));
    d.send(get("/e18/p?wait=true&waitIndex={i:1}"));
    try (Differ.Watch w = d.watch(get("/e18/p?wait=true"))) {
      d.send(put("/e18/p", "value=2"));
      w.next(3000);
    }
    try (Differ.Watch w = d.watch(get("/e18/p?wait=true&waitIndex=0"))) {
      d.send(put("/e18/p?prevExist=true", "value=3"));
      w.next(3000);
    }
    try (Differ.Watch w = d.watch(get("/e18?wait=true&recursive=true&waitIndex={i:6}"))) {
      d.send(put("/e18/q", "value=4"));
      d.send(put("/e18/p", "value=5"));
      w.next(3000);
    }
    d.assertNoMismatch();
  }

  @Test
  @Order(25)
  void e19_pathCleaning() {
    d.rebase("E19 redirects and path decoding");
    d.sendAll(
        of("GET", "/v2/keys//e19//b/"),
        of("GET", "/v2/keys/e19/../e19/b?x=1&y=2"),
        of("GET", "/v2/keys/e19/./b"),
        of("GET", "/v2/keys/e19/%2E%2E/b"),
        of("GET", "/v2/keys/e19/a%2F%2Fb"),
        put("//e19/b", "value=1"),
        delete("/e19/./b"),
        put("/e19/b/", "value=1"),
        get("/e19/b/"),
        get("/e19/b"),
        put("/e19/a%2Fc", "value=slash"),
        get("/e19/a/c"),
        put("/e19/sp%20ace", "value=space"),
        put("/e19/q%3Fmark", "value=q"),
        put("/e19/%E4%B8%AD", "value=%E4%B8%AD"),
        put("/e19/plus+sign", "value=a+b"),
        get("/e19?recursive=true"),
        of("GET", "/v2/keysfoo"),
        of("GET", "/v2//keys/e19"),
        of("GET", "/v2/keys/e19/b?recursive=true#frag"));
    d.assertNoMismatch();
  }

  @Test
  @Order(26)
  void e20_emptyParameterValues() {
    d.rebase("E20 empty parameter values");
    d.sendAll(
        put("/e20/k", "value=a"),
        get("/e20/k?recursive="),
        get("/e20/k?dir"),
        get("/e20/k?sorted"),
        put("/e20/k", "value=b&ttl="),
        put("/e20/k?prevValue=", "value=c"),
        put("/e20/k?prevIndex=", "value=c"),
        get("/e20/k?wait=true&waitIndex="),
        delete("/e20/k?recursive="),
        put("/e20/k?prevExist", "value=c"),
        put("/e20/k?dir=", ""),
        get("/e20/k"));
    d.assertNoMismatch();
  }

  @Test
  @Order(27)
  void e21_queryVersusBody() {
    d.rebase("E21 query and body parameters");
    d.sendAll(
        put("/e21/prec?value=query", "value=body"),
        put("/e21/t?ttl=abc", "ttl=5000&value=x"),
        put("/e21/rep", "value=first&value=second"),
        put("/e21/qonly?value=fromquery", ""),
        put("/e21/json", "").withBody("application/json", "{\"value\":\"j\"}"),
        put("/e21/text", "").withBody("text/plain", "value=t"),
        put("/e21/none", "").withBody(null, "value=n"),
        put("/e21/ct", "").withBody("application/x-www-form-urlencoded; charset=utf-8", "value=cs"),
        put("/e21/multi", "")
            .withBody(
                "multipart/form-data; boundary=XX",
                "--XX\r\nContent-Disposition: form-data; name=\"value\"\r\n\r\nm\r\n--XX--\r\n"),
        post("/e21/q?value=query", "value=body"),
        delete("/e21/prec?prevValue=query")
            .withBody("application/x-www-form-urlencoded", "prevValue=body"),
        get("/e21?recursive=true&sorted=true"));
    d.assertNoMismatch();
  }

  @Test
  @Order(28)
  void e22_bodySizeLimits() {
    d.rebase("E22 body size limits");
    char[] two = new char[2 * 1024 * 1024];
    Arrays.fill(two, 'v');
    d.send(put("/e22/big", "value=" + new String(two)));
    d.send(get("/e22/big"));
    byte[] huge = new byte[10 * 1024 * 1024 + 64];
    Arrays.fill(huge, (byte) 'a');
    System.arraycopy("value=".getBytes(StandardCharsets.US_ASCII), 0, huge, 0, 6);
    d.send(put("/e22/huge", "").withRawBody("application/x-www-form-urlencoded", huge));
    d.send(get("/e22/huge"));
    byte[] huger = new byte[12 * 1024 * 1024];
    Arrays.fill(huger, (byte) 'b');
    System.arraycopy("value=".getBytes(StandardCharsets.US_ASCII), 0, huger, 0, 6);
    d.send(put("/e22/huge", "").withRawBody("application/x-www-form-urlencoded", huger));
    d.assertNoMismatch();
  }

  @Test
  @Order(29)
  void e23_parametersThatAreIgnored() {
    d.rebase("E23 prevExist=false ignores prevValue; CAD ignores recursive");
    d.sendAll(
        put("/e23/k", "value=a"),
        put("/e23/k?prevExist=false&prevValue=zzz", "value=b"),
        put("/e23/n?prevExist=false&prevValue=zzz", "value=b"),
        put("/e23/d/x", "value=1"),
        delete("/e23/d?prevIndex={i:4}&recursive=true"),
        delete("/e23/k?prevIndex={i:1}&recursive=true"),
        put("/e23/m", "value=a"),
        delete("/e23/m?prevValue=a&dir=true"),
        post("/e23/p?prevExist=true&prevValue=zz&prevIndex={i:999}", "value=p"),
        get("/e23?recursive=true"));
    d.assertNoMismatch();
  }

  /**
   * E24 (quorum loss) needs a cluster and belongs to the clustering issue; what one member shows:
   * health, leader stats with no followers, quorum reads that succeed.
   */
  @Test
  @Order(30)
  void e24_singleMemberHealthAndQuorumReads() {
    d.rebase("E24 single-member view (quorum loss itself: clustering issue)");
    d.sendAll(
        of("GET", "/health"),
        of("GET", "/v2/stats/leader").shapeOnly(),
        put("/e24/k", "value=1"),
        get("/e24/k?quorum=true"),
        get("/e24/missing?quorum=true"));
    d.assertNoMismatch();
  }

  @Test
  @Order(31)
  void e25_binaryValuesAndEscaping() {
    d.rebase("E25 binary values, Go JSON escaping");
    d.sendAll(
        put("/e25/bin", "value=%ff%fe"),
        get("/e25/bin"),
        put("/e25/html", f("value", "<a href=\"x\">&</a>")),
        get("/e25/html"),
        put("/e25/ctl", f("value", "line1\nline2\ttab\u0001\u007f")),
        get("/e25/ctl"),
        put("/e25/sep", f("value", "a\u2028b\u2029c")),
        get("/e25/sep"),
        put("/e25/utf", f("value", "ünï中😀")),
        get("/e25/utf"),
        put("/e25/%3Ckey%3E", "value=k"),
        get("/e25?recursive=true&sorted=true"));
    d.assertNoMismatch();
  }

  /**
   * E26 (auth enabled, guest role) belongs to the auth issue; a single member without auth shows
   * the auth status endpoints only.
   */
  @Test
  @Order(32)
  void e26_authDisabledView() {
    d.rebase("E26 auth status (enabling auth: auth issue)");
    d.sendAll(
        of("GET", "/v2/auth/enable"),
        of("GET", "/v2/auth/users"),
        of("GET", "/v2/auth/roles"),
        of("GET", "/v2/auth/roles/guest"));
    d.assertNoMismatch();
  }

  /** The whole tree at the end: every earlier step must have left the same state behind. */
  @Test
  @Order(99)
  void wholeTreeAgreesAtTheEnd() {
    d.rebase("whole tree at the end");
    d.send(get("/?recursive=true&sorted=true"));
    d.assertNoMismatch();
  }

  private static void assertNoEvent(Normalized n) {
    assertThat(n.text()).as("expected no event, got %s", n.raw()).isEqualTo(Normalized.NO_EVENT);
  }

  /** Polls both servers until the key is gone (expired), so later indexes line up again. */
  private void awaitGone(String key) {
    for (ServerProcess s : new ServerProcess[] {d.reference(), d.underTest()}) {
      EtcdV2Http h = s.client();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (h.get(key).status() != 404) {
        assertThat(System.nanoTime())
            .as("%s: %s did not expire within 5 s", s, key)
            .isLessThan(deadline);
        ServerProcess.sleep(50);
      }
    }
  }
}
