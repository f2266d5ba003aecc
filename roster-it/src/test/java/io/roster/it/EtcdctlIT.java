package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's etcdctl ({@code ETCDCTL_API=2}) against real etcd and against the server under test:
 * every command runs on both, and exit code, stdout and stderr must be identical after {@link
 * Etcdctl#normalise}. Arguments may hold index templates {@code {i:N}} (see {@link DiffRequest}).
 */
@ExtendWith(DumpLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdctlIT {
  private static final Logger log = LoggerFactory.getLogger(EtcdctlIT.class);

  static ServerProcess etcd;
  static ServerProcess other;
  static long etcdBase;
  static long otherBase;
  static int commands;
  static final List<String> MISMATCHES = new ArrayList<>();

  @BeforeAll
  static void start() {
    Etcdctl.requireInstalled();
    etcd = ServerProcess.start(ServerKind.ETCD, "ctl-ref");
    other = ServerProcess.start(ServerKind.underTest(), "ctl-test");
    etcdBase = etcd.client().currentIndex();
    otherBase = other.client().currentIndex();
  }

  @AfterAll
  static void stop() {
    log.info(
        "EtcdctlIT totals: {} etcdctl commands compared (etcd vs {}), {} mismatches",
        commands,
        ServerKind.underTest(),
        MISMATCHES.size());
    if (other != null) {
      other.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  /** Runs the command on both servers and records a mismatch; returns etcd's result. */
  private static Etcdctl.Result both(String... args) {
    return both(false, args);
  }

  private static Etcdctl.Result both(boolean unorderedLines, String... args) {
    commands++;
    Etcdctl.Result a = Etcdctl.run(etcd, expand(args, etcdBase)).normalised(etcdBase);
    Etcdctl.Result b = Etcdctl.run(other, expand(args, otherBase)).normalised(otherBase);
    if (unorderedLines) {
      a = new Etcdctl.Result(a.exit(), sortLines(a.out()), a.err());
      b = new Etcdctl.Result(b.exit(), sortLines(b.out()), b.err());
    }
    if (!a.equals(b)) {
      String report =
          String.format(
              "MISMATCH etcdctl %s%n--- etcd ---%n%s%n--- %s ---%n%s%n",
              String.join(" ", args), a, other.kind, b);
      log.warn("{}", report);
      MISMATCHES.add(report);
    }
    return a;
  }

  private static String sortLines(String s) {
    List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n")));
    lines.sort(null);
    return String.join("\n", lines);
  }

  private static List<String> expand(String[] args, long base) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      out.add(DiffRequest.expand(a, base));
    }
    return out;
  }

  private static void assertNoMismatch() {
    assertThat(MISMATCHES)
        .as("etcdctl output must be identical on etcd and %s", ServerKind.underTest())
        .isEmpty();
  }

  @Test
  @Order(1)
  void keyCommands_simpleExtendedJson() {
    Etcdctl.Result r = both("set", "/ctl/k1", "v1");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("v1\n");
    both("-o", "extended", "set", "/ctl/k2", "v2");
    both("-o", "json", "set", "/ctl/k3", "v3");
    both("set", "--ttl", "1000", "/ctl/t", "tv");
    both("-o", "extended", "set", "--ttl", "1000", "/ctl/t2", "tv");
    both("-o", "json", "set", "--ttl", "1000", "/ctl/t3", "tv");
    both("set", "--swap-with-value", "v1", "/ctl/k1", "v1b");
    both("set", "--swap-with-value", "nope", "/ctl/k1", "v1c");
    both("-o", "json", "set", "--swap-with-value", "nope", "/ctl/k1", "v1c");
    both("set", "--swap-with-index", "{i:7}", "/ctl/k1", "v1d");
    both("-o", "extended", "set", "--swap-with-index", "{i:700}", "/ctl/k1", "v1e");
    both("mk", "/ctl/m1", "mv");
    both("mk", "/ctl/m1", "again");
    both("-o", "extended", "mk", "/ctl/m2", "mv");
    both("-o", "json", "mk", "/ctl/m3", "mv");
    both("mk", "--ttl", "1000", "/ctl/m4", "mv");
    both("mk", "--in-order", "/ctl/q", "job1");
    both("-o", "extended", "mk", "--in-order", "/ctl/q", "job2");
    both("-o", "json", "mk", "--in-order", "/ctl/q", "job3");
    both("mkdir", "/ctl/d");
    both("mkdir", "/ctl/d");
    both("mkdir", "--ttl", "1000", "/ctl/dt");
    both("-o", "json", "mkdir", "/ctl/dj");
    both("setdir", "/ctl/d");
    both("setdir", "/ctl/sd");
    both("-o", "extended", "setdir", "/ctl/sd2");
    both("update", "/ctl/k2", "v2b");
    both("-o", "extended", "update", "/ctl/k2", "v2c");
    both("-o", "json", "update", "--ttl", "1000", "/ctl/k2", "v2d");
    both("update", "/ctl/missing", "x");
    both("-o", "json", "update", "/ctl/missing", "x");
    both("updatedir", "/ctl/d");
    both("updatedir", "--ttl", "1000", "/ctl/d");
    both("-o", "extended", "updatedir", "--ttl", "1000", "/ctl/d");
    both("updatedir", "/ctl/k2");
    both("updatedir", "/ctl/nodir");
    assertNoMismatch();
  }

  @Test
  @Order(2)
  void getAndLs() {
    both("get", "/ctl/k1");
    both("-o", "extended", "get", "/ctl/k2");
    both("-o", "json", "get", "/ctl/k2");
    both("-o", "extended", "get", "/ctl/t");
    both("-o", "json", "get", "/ctl/t3");
    both("get", "--quorum", "/ctl/k1");
    both("get", "/ctl/d");
    both("-o", "json", "get", "/ctl/d");
    Etcdctl.Result missing = both("get", "/x");
    assertThat(missing.exit()).as("get of a missing key exits with 4").isEqualTo(4);
    assertThat(missing.err()).contains("Error:  100: Key not found (/x) [");
    both("-o", "extended", "get", "/x");
    both("-o", "json", "get", "/x");
    both("get", "/ctl/k1/under");
    both(true, "ls", "/ctl");
    both(true, "ls", "--recursive", "/ctl");
    both(true, "ls", "-p", "/ctl");
    both("ls", "--sort", "/ctl");
    both("ls", "--sort", "--recursive", "-p", "/ctl");
    both("ls", "--sort", "/ctl/q");
    both("ls", "/ctl/k1");
    both("ls", "/nothing");
    both(true, "-o", "extended", "ls", "/ctl/q");
    both("-o", "json", "ls", "--sort", "/ctl/q");
    both(true, "ls");
    assertNoMismatch();
  }

  @Test
  @Order(3)
  void rmAndRmdir() {
    both("set", "/rm/a", "va");
    both("set", "/rm/b", "vb");
    both("set", "/rm/c", "vc");
    both("set", "/rm/d/x", "vx");
    both("mkdir", "/rm/empty");
    both("mkdir", "/rm/empty2");
    both("rm", "/rm/a");
    both("-o", "extended", "rm", "/rm/b");
    both("-o", "json", "rm", "--with-value", "vc", "/rm/c");
    both("set", "/rm/c", "vc2");
    both("rm", "--with-value", "wrong", "/rm/c");
    both("rm", "--with-index", "{i:900}", "/rm/c");
    both("rm", "--with-index", "{i:12}", "/rm/c");
    both("rm", "/rm/d");
    both("rm", "--dir", "/rm/d");
    both("rm", "--dir", "/rm/empty");
    both("-o", "extended", "rm", "--recursive", "/rm/d");
    both("rm", "/rm/missing");
    both("rmdir", "/rm/empty2");
    both("rmdir", "/rm/empty2");
    both("set", "/rm/f", "vf");
    both("rmdir", "/rm/f");
    both("rm", "/");
    both("-o", "json", "rm", "--recursive", "/rm");
    assertNoMismatch();
  }

  @Test
  @Order(4)
  void watchOneEventAndAfterIndex() throws Exception {
    for (String[] variant :
        new String[][] {{}, {"-o", "extended"}, {"-o", "json"}, {"--recursive"}}) {
      commands++;
      String key = variant.length > 0 && variant[0].equals("--recursive") ? "/w/dir" : "/w/k";
      String written = key.equals("/w/dir") ? "/w/dir/child" : key;
      String[] results = new String[2];
      ServerProcess[] servers = {etcd, other};
      for (int i = 0; i < 2; i++) {
        ServerProcess s = servers[i];
        long base = i == 0 ? etcdBase : otherBase;
        List<String> args = new ArrayList<>();
        if (variant.length == 2) {
          args.addAll(Arrays.asList(variant));
        }
        args.add("watch");
        if (variant.length == 1) {
          args.add("--recursive");
        }
        args.add(key);
        Process p = startAndAwaitWatcher(s, args);
        s.client().put(written, "value=watched-" + variant.length);
        results[i] = finish(p, 10).normalised(base).toString();
      }
      compareWatch("watch " + Arrays.toString(variant), results);
    }
    Etcdctl.Result history = both("watch", "--after-index", "{i:1}", "/ctl/k1");
    assertThat(history.exit()).isZero();
    both("-o", "extended", "watch", "--after-index", "{i:1}", "/ctl/k2");
    both("-o", "json", "watch", "--after-index", "{i:1}", "/ctl/k2");
    both("watch", "--after-index", "{i:2}", "--recursive", "/ctl");
    assertNoMismatch();
  }

  @Test
  @Order(5)
  void execWatchRunsCommandWithEnv() throws Exception {
    commands++;
    String[] results = new String[2];
    ServerProcess[] servers = {etcd, other};
    for (int i = 0; i < 2; i++) {
      ServerProcess s = servers[i];
      long base = i == 0 ? etcdBase : otherBase;
      Path envFile = Files.createTempFile("exec-watch-env", ".txt");
      Files.delete(envFile);
      Process p =
          startAndAwaitWatcher(
              s,
              List.of(
                  "exec-watch",
                  "--",
                  "sh",
                  "-c",
                  "env | grep '^ETCD_WATCH_' | sort > "
                      + envFile
                      + ".tmp && mv "
                      + envFile
                      + ".tmp "
                      + envFile,
                  "/ew/k"));
      try {
        s.client().put("/ew/k", "value=exec%20value");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(envFile) && System.nanoTime() < deadline) {
          ServerProcess.sleep(50);
        }
        if (!Files.exists(envFile)) {
          ProcessReaper.kill(p);
          throw new AssertionError(
              "exec-watch on " + s + " did not run its command within 10 s: " + finish(p, 1));
        }
        results[i] = Etcdctl.normalise(Files.readString(envFile, StandardCharsets.UTF_8), base);
      } finally {
        ProcessReaper.kill(p);
        Files.deleteIfExists(envFile);
      }
    }
    assertThat(results[0])
        .contains("ETCD_WATCH_ACTION=set", "ETCD_WATCH_KEY=/ew/k", "ETCD_WATCH_VALUE=exec value")
        .contains("ETCD_WATCH_MODIFIED_INDEX=");
    compareWatch("exec-watch", results);
    assertNoMismatch();
  }

  @Test
  @Order(6)
  void clusterCommands() {
    Etcdctl.Result list = both("member", "list");
    assertThat(list.out()).contains("name=default", "isLeader=true");
    both("-o", "json", "member", "list");
    Etcdctl.Result health = both("cluster-health");
    assertThat(health.out()).contains("cluster is healthy");
    both("--no-sync", "get", "/ctl/k1");
    assertNoMismatch();
  }

  private static void compareWatch(String what, String[] results) {
    if (!results[0].equals(results[1])) {
      String report =
          String.format(
              "MISMATCH etcdctl %s%n--- etcd ---%n%s%n--- %s ---%n%s%n",
              what, results[0], other.kind, results[1]);
      log.warn("{}", report);
      MISMATCHES.add(report);
    }
  }

  /**
   * Starts a watching etcdctl and returns once the server counts one more watcher ({@code
   * /v2/stats/store} "watchers"), or after 1.5 s if the server does not report watchers.
   */
  private static Process startAndAwaitWatcher(ServerProcess s, List<String> args)
      throws IOException {
    return startAndAwaitWatcher(s, Etcdctl.builder(s, args));
  }

  /** Starts a watching command line tool (etcdctl or rosterctl); see above. */
  static Process startAndAwaitWatcher(ServerProcess s, ProcessBuilder pb) throws IOException {
    return startAndAwaitWatcher(s, pb, 1_500);
  }

  /** Like above, waiting up to {@code waitMillis} for the watcher (a JVM starts slower). */
  static Process startAndAwaitWatcher(ServerProcess s, ProcessBuilder pb, long waitMillis)
      throws IOException {
    int before = watchers(s);
    Path out = Files.createTempFile("etcdctl-watch", ".out");
    pb.redirectErrorStream(false).redirectOutput(out.toFile());
    pb.redirectError(Path.of(out + ".err").toFile());
    Process p = ProcessReaper.track(pb.start());
    WATCH_OUTPUT.put(p, out);
    long deadline = System.nanoTime() + waitMillis * 1_000_000L;
    while (System.nanoTime() < deadline && (before < 0 || watchers(s) <= before)) {
      ServerProcess.sleep(30);
    }
    if (before < 0) {
      ServerProcess.sleep(300);
    }
    return p;
  }

  private static final java.util.Map<Process, Path> WATCH_OUTPUT =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Waits for a watcher started above (killing it after {@code seconds}) and collects it. */
  static Etcdctl.Result finish(Process p, int seconds) throws Exception {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      ProcessReaper.kill(p);
    }
    ProcessReaper.untrack(p);
    Path out = WATCH_OUTPUT.remove(p);
    Path err = Path.of(out + ".err");
    Etcdctl.Result r =
        new Etcdctl.Result(
            p.isAlive() ? -1 : p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  private static int watchers(ServerProcess s) {
    try {
      EtcdV2Http.Reply r = s.client().send("GET", "/v2/stats/store", null);
      return r.status() == 200 ? r.json().path("watchers").asInt(-1) : -1;
    } catch (RuntimeException | AssertionError e) {
      return -1;
    }
  }
}
