package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Golden tests of rosterctl against etcdctl: one command sequence runs through Debian's etcdctl
 * ({@code ETCDCTL_API=2}) and then through rosterctl, both as real processes against the same
 * server, once on real etcd 3.4 and once on Roster; exit code, stdout and stderr must be identical
 * after {@link Etcdctl#normalise} (ids, ports, indexes relative to the sequence's start, TTLs,
 * expirations). The two runs use their own key prefix ({@value #E} and {@value #R}, both shown as
 * {@code /golden}), so each starts from the same state. Usage errors are compared by exit code
 * only: rosterctl's usage text is its own. TTLs of 100 s and more are compared as present: a
 * sequence of JVM starts takes longer than one of Go binaries.
 *
 * <p>Then the service commands end to end on Roster: register (a foreground process), list, watch,
 * deregister, and deregistration on SIGINT and SIGTERM.
 */
@ExtendWith(DumpLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RosterctlIT {
  private static final Logger log = LoggerFactory.getLogger(RosterctlIT.class);
  static final String E = "/golden-etcdctl";
  static final String R = "/golden-rosterctl";

  static ServerProcess etcd;
  static ServerProcess roster;
  static int compared;
  static int mismatched;
  static final List<String> MISMATCHES = new ArrayList<>();

  /** A sequence of JVM starts is slower than one of Go binaries: long TTLs compare as present. */
  private static final Pattern TTL = Pattern.compile("<ttl~\\d+>");

  /** How long a watcher may take to register (a JVM under load starts in seconds). */
  private static final long WATCHER_WAIT_MILLIS = 20_000;

  /** How a step is run and compared. */
  enum Kind {
    SAME,
    UNORDERED,
    EXIT_ONLY,
    WATCH,
    EXEC_WATCH
  }

  /** One command of a sequence: {@code {p}} is the run's prefix, {@code {i:N}} base + N. */
  record Step(Kind kind, List<String> args, @Nullable String write) {}

  static Step same(String... args) {
    return new Step(Kind.SAME, List.of(args), null);
  }

  static Step exitOnly(String... args) {
    return new Step(Kind.EXIT_ONLY, List.of(args), null);
  }

  static Step unordered(String... args) {
    return new Step(Kind.UNORDERED, List.of(args), null);
  }

  static Step watch(String write, String... args) {
    return new Step(Kind.WATCH, List.of(args), write);
  }

  @BeforeAll
  static void start() {
    Etcdctl.requireInstalled();
    etcd = ServerProcess.start(ServerKind.ETCD, "rctl-etcd");
    roster = ServerProcess.start(ServerKind.ROSTER, "rctl-roster");
  }

  @BeforeEach
  void forgetMismatches() {
    MISMATCHES.clear();
  }

  @AfterAll
  static void stop() {
    log.info(
        "RosterctlIT totals: {} commands compared (etcdctl vs rosterctl), {} mismatches",
        compared,
        mismatched);
    if (roster != null) {
      roster.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  /** The key commands, their output formats and their errors. */
  static List<Step> keySteps() {
    return List.of(
        same("set", "{p}/k1", "v1"),
        same("-o", "extended", "set", "{p}/k2", "v2"),
        same("-o", "json", "set", "{p}/k3", "v<&>\"3\u2028é\ttab"),
        same("set", "--ttl", "1000", "{p}/t", "tv"),
        same("-o", "extended", "set", "--ttl", "1000", "{p}/t2", "tv"),
        same("-o", "json", "set", "--ttl", "1000", "{p}/t3", "tv"),
        same("set", "--swap-with-value", "v1", "{p}/k1", "v1b"),
        same("set", "--swap-with-value", "nope", "{p}/k1", "v1c"),
        same("-o", "json", "set", "--swap-with-value", "nope", "{p}/k1", "v1c"),
        same("set", "--swap-with-index", "{i:7}", "{p}/k1", "v1d"),
        same("-o", "extended", "set", "--swap-with-index", "{i:700}", "{p}/k1", "v1e"),
        same("mk", "{p}/m1", "mv"),
        same("mk", "{p}/m1", "again"),
        same("-o", "json", "mk", "--ttl", "1000", "{p}/m3", "mv"),
        same("mk", "--in-order", "{p}/q", "job1"),
        same("-o", "extended", "mk", "--in-order", "{p}/q", "job2"),
        same("-o", "json", "mk", "--in-order", "{p}/q", "job3"),
        same("mkdir", "{p}/d"),
        same("mkdir", "{p}/d"),
        same("-o", "json", "mkdir", "{p}/dj"),
        same("-o", "extended", "mkdir", "--ttl", "1000", "{p}/dt"),
        same("setdir", "{p}/d"),
        same("setdir", "{p}/sd"),
        same("-o", "json", "setdir", "{p}/sd2"),
        same("setdir", "{p}/k1"),
        same("update", "{p}/k2", "v2b"),
        same("-o", "json", "update", "--ttl", "1000", "{p}/k2", "v2d"),
        same("update", "{p}/missing", "x"),
        same("updatedir", "{p}/d"),
        same("-o", "extended", "updatedir", "--ttl", "1000", "{p}/d"),
        same("updatedir", "{p}/k2"),
        same("updatedir", "{p}/nodir"),
        same("get", "{p}/k1"),
        same("-o", "extended", "get", "{p}/k2"),
        same("-o", "json", "get", "{p}/k3"),
        same("-o", "json", "get", "{p}/t3"),
        same("get", "--quorum", "{p}/k1"),
        same("get", "{p}/d"),
        same("get", "{p}/missing"),
        same("-o", "json", "get", "{p}/missing"),
        same("get", "{p}/k1/under"),
        same("ls", "--sort", "{p}"),
        same("ls", "--sort", "--recursive", "-p", "{p}"),
        unordered("ls", "-r", "{p}"),
        same("-o", "json", "ls", "--sort", "{p}/q"),
        same("ls", "{p}/k1"),
        same("ls", "{p}/nothing"),
        same("rm", "{p}/k3"),
        same("-o", "extended", "rm", "{p}/t"),
        same("rm", "--with-value", "wrong", "{p}/k1"),
        same("rm", "--with-index", "{i:900}", "{p}/k1"),
        same("set", "{p}/rm/c", "vc"),
        same("-o", "json", "rm", "--with-value", "vc", "{p}/rm/c"),
        same("rm", "{p}/d"),
        same("rm", "--dir", "{p}/sd"),
        same("-o", "extended", "rm", "--recursive", "{p}/q"),
        same("rm", "--recursive", "{p}/dj"),
        same("rm", "{p}/missing"),
        same("rmdir", "{p}/sd2"),
        same("rmdir", "{p}/sd2"),
        same("rmdir", "{p}/m1"),
        same("rm", "/"),
        same("-o", "yaml", "get", "{p}/k1"),
        same("--no-sync", "get", "{p}/k2"),
        same("set", "{p}/novalue"),
        same("get"),
        same("rm"),
        same("watch"),
        same("exec-watch", "{p}/k1"),
        exitOnly("--bogus", "get", "{p}/k1"),
        exitOnly("get", "--bogus", "{p}/k1"),
        exitOnly("set", "--ttl", "abc", "{p}/k", "v"),
        same("watch", "--after-index", "{i:1}", "{p}/k1"),
        same("-o", "extended", "watch", "--after-index", "{i:2}", "{p}/k2"),
        same("-o", "json", "watch", "--after-index", "{i:3}", "--recursive", "{p}"),
        watch("{p}/w/k", "watch", "{p}/w/k"),
        watch("{p}/w/k", "-o", "extended", "watch", "{p}/w/k"),
        watch("{p}/w/k", "-o", "json", "watch", "{p}/w/k"),
        watch("{p}/w/dir/child", "watch", "--recursive", "{p}/w/dir"),
        new Step(Kind.EXEC_WATCH, List.of(), null));
  }

  /** The member commands that need no change of membership. */
  static List<Step> memberSteps() {
    return List.of(
        same("member", "list"),
        same("-o", "json", "member", "list"),
        same("member", "list", "extra"),
        same("member", "remove", "deadbeef"),
        same("member", "remove", "default"),
        same("member", "remove"),
        same("member", "add", "x"),
        same("member", "add", "x", "notaurl"),
        same("member", "add", "x", "http://127.0.0.1:1/path"),
        same("member", "update", "x"),
        same("member", "update", "deadbeef", "nota url"),
        same("cluster-health"));
  }

  @Test
  @Order(1)
  void keyCommands_onEtcd() throws Exception {
    golden(etcd, keySteps());
    assertNoMismatch();
  }

  @Test
  @Order(2)
  void keyCommands_onRoster() throws Exception {
    golden(roster, keySteps());
    assertNoMismatch();
  }

  @Test
  @Order(3)
  void memberCommands_onEtcdAndRoster() throws Exception {
    golden(etcd, memberSteps());
    golden(roster, memberSteps());
    JsonNode self = etcd.client().send("GET", "/v2/members", null).json().path("members").get(0);
    String id = self.path("id").asText();
    String peer = self.path("peerURLs").get(0).asText();
    golden(
        etcd,
        List.of(
            same("member", "update", id, peer),
            same("member", "update", "deadbeef", "http://127.0.0.1:1"),
            same("member", "list")));
    JsonNode mine = roster.client().send("GET", "/v2/members", null).json().path("members").get(0);
    golden(
        roster,
        List.of(
            same(
                "member",
                "update",
                mine.path("id").asText(),
                mine.path("peerURLs").get(0).asText()),
            same("member", "update", "deadbeef", "http://127.0.0.1:1"),
            same("member", "list")));
    assertNoMismatch();
  }

  /**
   * {@code member add}, {@code member list} and {@code member remove} of a member that never
   * starts, on Roster: unlike etcd, Roster keeps its quorum (the new member counts only once it has
   * caught up), so the same member is added and removed by etcdctl and then by rosterctl.
   */
  @Test
  @Order(5)
  void memberAddListRemove_onRoster() {
    String peer = "http://127.0.0.1:" + Ports.free();
    java.util.regex.Pattern addedId = java.util.regex.Pattern.compile("with ID ([0-9a-f]+) ");
    Etcdctl.Result[][] runs = new Etcdctl.Result[2][3];
    for (int i = 0; i < 2; i++) {
      List<String> add = List.of("member", "add", "newbie", peer);
      Etcdctl.Result added = i == 0 ? Etcdctl.run(roster, add) : Rosterctl.run(roster, add);
      java.util.regex.Matcher m = addedId.matcher(added.out());
      assertThat(m.find()).as("%s", added).isTrue();
      List<String> list = List.of("member", "list");
      List<String> remove = List.of("member", "remove", m.group(1));
      runs[i][0] = added;
      runs[i][1] = i == 0 ? Etcdctl.run(roster, list) : Rosterctl.run(roster, list);
      runs[i][2] = i == 0 ? Etcdctl.run(roster, remove) : Rosterctl.run(roster, remove);
      assertThat(runs[i][2].exit()).as("%s", runs[i][2]).isZero();
    }
    assertThat(runs[0][1].out()).contains("[unstarted]: peerURLs=" + peer);
    compare("member add", false, sortCluster(runs[0][0]), sortCluster(runs[1][0]));
    compare("member list", true, runs[0][1], runs[1][1]);
    compare("member remove", false, runs[0][2], runs[1][2]);
    assertNoMismatch();
  }

  /**
   * {@code member add} on etcd: a single-member etcd accepts a member that never starts (and then
   * loses quorum, so each client gets its own fresh etcd). The output is compared; the member list
   * after it is checked over HTTP, as etcd soon has no leader to list it with.
   */
  @Test
  @Order(4)
  void memberAdd_onFreshEtcds() {
    int peerPort = Ports.free();
    String peer = "http://127.0.0.1:" + peerPort;
    List<String> add = List.of("member", "add", "newbie", peer);
    Etcdctl.Result[] adds = new Etcdctl.Result[2];
    for (int i = 0; i < 2; i++) {
      try (ServerProcess fresh = ServerProcess.start(ServerKind.ETCD, "rctl-add-" + i)) {
        adds[i] = i == 0 ? Etcdctl.run(fresh, add) : Rosterctl.run(fresh, add);
        JsonNode members = fresh.client().send("GET", "/v2/members", null).json().path("members");
        assertThat(members.toString())
            .as("members of the etcd that %s added to", i == 0 ? "etcdctl" : "rosterctl")
            .contains("\"peerURLs\":[\"" + peer + "\"]");
        assertThat(members).hasSize(2);
      }
    }
    assertThat(adds[0].exit()).as("etcdctl member add: %s", adds[0]).isZero();
    assertThat(adds[0].out()).contains("Added member named newbie with ID ");
    compare("member add", false, sortCluster(adds[0]), sortCluster(adds[1]));
    assertNoMismatch();
  }

  @Test
  @Order(5)
  void unreachableEndpoint_sameErrorAndExitCode() {
    String dead = "http://127.0.0.1:" + Ports.free();
    for (List<String> args :
        List.of(
            List.of("--endpoints", dead, "get", "/k"),
            List.of("--no-sync", "--endpoints", dead, "get", "/k"),
            List.of("--endpoints", dead, "member", "list"))) {
      ProcessBuilder pb = Etcdctl.builder(etcd, List.of());
      pb.command().subList(1, pb.command().size()).clear();
      pb.command().addAll(args);
      Etcdctl.Result a = norm(Etcdctl.run(pb, "etcdctl " + args));
      Etcdctl.Result b = norm(Rosterctl.run(args));
      compare(String.join(" ", args), false, a, b);
    }
    assertNoMismatch();
  }

  // ---- service commands, end to end on Roster ----

  @Test
  @Order(10)
  void service_registerListWatch_deregistersOnSigintAndSigterm() throws Exception {
    Etcdctl.Result empty = Rosterctl.run(roster, List.of("service", "list"));
    assertThat(empty.exit()).as("%s", empty).isZero();
    assertThat(empty.out()).isEqualTo("no instances under /services\n");

    Background web1 =
        Background.start(
            roster,
            "service",
            "register",
            "web",
            "--id",
            "web-1",
            "--host",
            "10.0.0.5",
            "--port",
            "8080",
            "--ttl",
            "60",
            "--meta",
            "version=2",
            "--meta",
            "zone=a");
    web1.await("registered /services/web/default/web-1 at 10.0.0.5:8080");
    JsonNode node = roster.client().get("/services/web/default/web-1").json().path("node");
    JsonNode value = EtcdV2Http.JSON.readTree(node.path("value").asText());
    assertThat(value.path("hostname").asText()).isEqualTo("10.0.0.5");
    assertThat(value.path("port").asText()).isEqualTo("8080");
    assertThat(value.path("metadata").path("version").asText()).isEqualTo("2");
    assertThat(value.path("metadata").path("zone").asText()).isEqualTo("a");
    assertThat(value.path("state").asText()).isEqualTo("UP");
    assertThat(node.path("ttl").asLong()).isBetween(1L, 60L);

    Etcdctl.Result list = Rosterctl.run(roster, List.of("service", "list"));
    assertThat(list.exit()).as("%s", list).isZero();
    String[] lines = list.out().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("SERVICE +DATACENTER +ID +ADDRESS +STATE +TTL");
    assertThat(lines[1]).matches("web +default +web-1 +10\\.0\\.0\\.5:8080 +UP +\\d+s");
    for (String[] col :
        new String[][] {{"DATACENTER", "default"}, {"ID", "web-1"}, {"ADDRESS", "10.0.0.5"}}) {
      assertThat(lines[1].indexOf(col[1]))
          .as("column %s is aligned in%n%s", col[0], list.out())
          .isEqualTo(lines[0].indexOf(col[0]));
    }
    assertThat(list.out()).as("no colour codes off a terminal").doesNotContain("\u001b[");

    Background watch = Background.start(roster, "service", "watch", "web");
    watch.await("watching /services/web: 1 instance(s)");
    assertThat(watch.out()).contains("  web/default/web-1 10.0.0.5:8080 UP {version=2, zone=a}");

    Background web2 =
        Background.start(
            roster,
            "service",
            "register",
            "web",
            "--id",
            "web-2",
            "--host",
            "10.0.0.6",
            "--port",
            "9090",
            "--datacenter",
            "eu",
            "--ttl",
            "60");
    web2.await("registered /services/web/eu/web-2");
    watch.await("+ added    web/eu/web-2 10.0.0.6:9090 UP");

    // Ctrl-C: the TTL is 60 s, so a key gone right after exit was deregistered, not expired.
    web2.signal("INT");
    assertThat(web2.waitExit()).as("exit status after SIGINT").isEqualTo(130);
    assertThat(web2.out()).contains("deregistered /services/web/eu/web-2");
    assertThat(roster.client().get("/services/web/eu/web-2").status()).isEqualTo(404);
    watch.await("- removed  web/eu/web-2 10.0.0.6:9090 UP");

    web1.process.destroy();
    assertThat(web1.waitExit()).as("exit status after SIGTERM").isEqualTo(143);
    assertThat(web1.out()).contains("deregistered /services/web/default/web-1");
    assertThat(roster.client().get("/services/web/default/web-1").status()).isEqualTo(404);
    watch.await("- removed  web/default/web-1");

    watch.signal("INT");
    assertThat(watch.waitExit()).as("service watch exits 0 on Ctrl-C").isZero();
    assertThat(web1.err()).isEmpty();
    assertThat(web2.err()).isEmpty();
  }

  @Test
  @Order(11)
  void service_deregisterCommand_andBadInput() throws Exception {
    Background web3 =
        Background.start(
            roster, "service", "register", "api", "--id", "api-3", "--host", "h3", "--port", "1");
    web3.await("registered /services/api/default/api-3");
    Etcdctl.Result dereg = Rosterctl.run(roster, List.of("service", "deregister", "api", "api-3"));
    assertThat(dereg.exit()).as("%s", dereg).isZero();
    assertThat(dereg.out()).isEqualTo("deregistered /services/api/default/api-3\n");
    assertThat(roster.client().get("/services/api/default/api-3").status()).isEqualTo(404);
    web3.process.destroy();
    web3.waitExit();
    assertThat(web3.err()).as("a key already deregistered is fine on exit").isEmpty();

    Etcdctl.Result missing = Rosterctl.run(roster, List.of("service", "deregister", "api", "nope"));
    assertThat(missing.exit()).isEqualTo(4);
    assertThat(missing.err()).startsWith("Error:  100: Key not found (/services/api/default/nope)");

    Etcdctl.Result noHost =
        Rosterctl.run(roster, List.of("service", "register", "web", "--id", "x", "--port", "1"));
    assertThat(noHost.exit()).isEqualTo(1);
    assertThat(noHost.err()).contains("Missing required option", "--host").contains("Usage:");

    Etcdctl.Result badPort =
        Rosterctl.run(
            roster,
            List.of("service", "register", "web", "--id", "x", "--host", "h", "--port", "70000"));
    assertThat(badPort.exit()).isEqualTo(1);
    assertThat(badPort.err()).contains("port out of range: 70000");

    Etcdctl.Result badId =
        Rosterctl.run(
            roster,
            List.of("service", "register", "web", "--id", "a/b", "--host", "h", "--port", "1"));
    assertThat(badId.exit()).isEqualTo(1);
    assertThat(badId.err()).contains("id must be one non-hidden key segment");
  }

  // ---- plumbing ----

  private static void golden(ServerProcess s, List<Step> steps) throws Exception {
    long eBase = s.client().currentIndex();
    List<Etcdctl.Result> viaEtcdctl = new ArrayList<>();
    for (Step st : steps) {
      viaEtcdctl.add(runStep(s, st, false, eBase));
    }
    long rBase = s.client().currentIndex();
    List<Etcdctl.Result> viaRosterctl = new ArrayList<>();
    for (Step st : steps) {
      viaRosterctl.add(runStep(s, st, true, rBase));
    }
    for (int i = 0; i < steps.size(); i++) {
      Step st = steps.get(i);
      String what = s.kind + ": " + String.join(" ", st.args()) + " " + st.kind();
      Etcdctl.Result a = viaEtcdctl.get(i);
      Etcdctl.Result b = viaRosterctl.get(i);
      if (st.kind() == Kind.EXIT_ONLY) {
        compared++;
        if (a.exit() != b.exit() || b.err().isBlank()) {
          mismatch(what, a, b);
        }
      } else {
        compare(what, st.kind() == Kind.UNORDERED, a, b);
      }
    }
  }

  private static Etcdctl.Result runStep(ServerProcess s, Step st, boolean rosterctl, long base)
      throws Exception {
    String prefix = rosterctl ? R : E;
    List<String> args = new ArrayList<>();
    if (st.kind() != Kind.WATCH && st.kind() != Kind.EXEC_WATCH) {
      // Both tools' default of 5 s for a whole command is short on a machine under heavy load.
      args.addAll(List.of("--total-timeout", "60s"));
    }
    for (String a : st.args()) {
      args.add(DiffRequest.expand(a.replace("{p}", prefix), base));
    }
    Etcdctl.Result raw;
    switch (st.kind()) {
      case WATCH -> {
        ProcessBuilder pb = rosterctl ? Rosterctl.builder(s, args) : Etcdctl.builder(s, args);
        Process p = EtcdctlIT.startAndAwaitWatcher(s, pb, WATCHER_WAIT_MILLIS);
        String write = st.write();
        s.client().put(write == null ? "/" : write.replace("{p}", prefix), "value=watched");
        raw = EtcdctlIT.finish(p, 15);
      }
      case EXEC_WATCH -> raw = execWatch(s, rosterctl, prefix);
      default -> raw = rosterctl ? Rosterctl.run(s, args) : Etcdctl.run(s, args);
    }
    String out = raw.out().replace(prefix, "/golden");
    String err = raw.err().replace(prefix, "/golden");
    Etcdctl.Result n = new Etcdctl.Result(raw.exit(), out, err).normalised(base);
    return new Etcdctl.Result(
        n.exit(),
        TTL.matcher(n.out()).replaceAll("<ttl>"),
        TTL.matcher(n.err()).replaceAll("<ttl>"));
  }

  /**
   * exec-watch in the {@code -- COMMAND KEY} form (etcdctl 3.4 loses the {@code --} of {@code KEY
   * -- COMMAND}): the command writes its {@code ETCD_WATCH_*} environment to a file.
   */
  private static Etcdctl.Result execWatch(ServerProcess s, boolean rosterctl, String prefix)
      throws Exception {
    Path envFile = Files.createTempFile("rosterctl-exec-watch", ".txt");
    Files.delete(envFile);
    String key = prefix + "/ew/k";
    List<String> args = new ArrayList<>(List.of("exec-watch", "--", "sh", "-c"));
    args.add(
        "env | grep '^ETCD_WATCH_' | sort > "
            + envFile
            + ".tmp && mv "
            + envFile
            + ".tmp "
            + envFile);
    args.add(key);
    ProcessBuilder pb = rosterctl ? Rosterctl.builder(s, args) : Etcdctl.builder(s, args);
    Process p = EtcdctlIT.startAndAwaitWatcher(s, pb, WATCHER_WAIT_MILLIS);
    try {
      s.client().put(key, "value=exec%20value");
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (!Files.exists(envFile) && System.nanoTime() < deadline) {
        ServerProcess.sleep(50);
      }
      ProcessReaper.kill(p);
      Etcdctl.Result watcher = EtcdctlIT.finish(p, 5);
      if (!Files.exists(envFile)) {
        fail("exec-watch did not run its command within 15 s: %s", watcher);
      }
      return new Etcdctl.Result(
          0, Files.readString(envFile, StandardCharsets.UTF_8), watcher.err());
    } finally {
      ProcessReaper.kill(p);
      Files.deleteIfExists(envFile);
    }
  }

  private static Etcdctl.Result norm(Etcdctl.Result r) {
    return r.normalised(0);
  }

  private static final Pattern INITIAL_CLUSTER = Pattern.compile("ETCD_INITIAL_CLUSTER=\"(.*)\"");

  /** member add's ETCD_INITIAL_CLUSTER lists members in id order, which is random: sort it. */
  private static Etcdctl.Result sortCluster(Etcdctl.Result r) {
    Matcher m = INITIAL_CLUSTER.matcher(r.out());
    String out = r.out();
    if (m.find()) {
      List<String> parts = new ArrayList<>(Arrays.asList(m.group(1).split(",")));
      parts.sort(null);
      out = out.substring(0, m.start(1)) + String.join(",", parts) + out.substring(m.end(1));
    }
    return norm(new Etcdctl.Result(r.exit(), out, r.err()));
  }

  private static void compare(String what, boolean unordered, Etcdctl.Result a, Etcdctl.Result b) {
    compared++;
    Etcdctl.Result x = a;
    Etcdctl.Result y = b;
    if (unordered) {
      x = new Etcdctl.Result(a.exit(), sortLines(a.out()), a.err());
      y = new Etcdctl.Result(b.exit(), sortLines(b.out()), b.err());
    }
    if (!x.equals(y)) {
      mismatch(what, a, b);
    }
  }

  private static void mismatch(String what, Etcdctl.Result a, Etcdctl.Result b) {
    String report =
        String.format("MISMATCH %s%n--- etcdctl ---%n%s%n--- rosterctl ---%n%s%n", what, a, b);
    log.warn("{}", report);
    MISMATCHES.add(report);
    mismatched++;
  }

  private static String sortLines(String s) {
    List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n")));
    lines.sort(null);
    return String.join("\n", lines);
  }

  private static void assertNoMismatch() {
    assertThat(MISMATCHES).as("etcdctl and rosterctl must agree").isEmpty();
  }

  /** A long-running rosterctl with its output in files. */
  static final class Background {
    final Process process;
    final Path out;
    final Path err;

    private Background(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    static Background start(ServerProcess s, String... args) throws IOException {
      ProcessBuilder pb = Rosterctl.builder(s, List.of(args));
      Path out = Files.createTempFile("rosterctl-bg", ".out");
      Path err = Files.createTempFile("rosterctl-bg", ".err");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      return new Background(ProcessReaper.track(pb.start()), out, err);
    }

    String out() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String err() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Waits (at most 30 s) until stdout contains {@code text}. */
    void await(String text) throws IOException {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        if (out().contains(text)) {
          return;
        }
        if (!process.isAlive() && !out().contains(text)) {
          fail(
              "rosterctl exited (%s) without printing '%s'; stdout:%n%s%nstderr:%n%s",
              process.exitValue(), text, out(), err());
        }
        ServerProcess.sleep(50);
      }
      fail(
          "rosterctl did not print '%s' within 30 s; stdout:%n%s%nstderr:%n%s", text, out(), err());
    }

    void signal(String name) throws Exception {
      Process kill =
          new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      assertThat(kill.waitFor()).as("kill -%s", name).isZero();
    }

    int waitExit() throws Exception {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        ProcessReaper.kill(process);
        fail("rosterctl did not exit within 30 s; stdout:%n%s", out());
      }
      ProcessReaper.untrack(process);
      return process.exitValue();
    }
  }
}
