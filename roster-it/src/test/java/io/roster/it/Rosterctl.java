package io.roster.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * rosterctl ({@code io.roster.cli.RosterCtl}) as a real child JVM on the test class path, run the
 * way {@link Etcdctl} runs etcdctl: same environment rules (no {@code ETCDCTL_*}, {@code
 * ROSTERCTL_*} or {@code ETCD_*} variables), stdin from /dev/null, same {@link Etcdctl.Result}. The
 * JVM gets rosterctl's start-up flags (C1 only, Serial GC) but no AppCDS archive, which needs a
 * class path of jars only.
 */
final class Rosterctl {
  static final String MAIN = "io.roster.cli.RosterCtl";

  private static @Nullable List<String> jvm;

  private Rosterctl() {}

  /** The class path and JVM flags for rosterctl: jars only plus an archive if one could be made. */
  private static synchronized List<String> jvm() {
    List<String> j = jvm;
    if (j != null) {
      return j;
    }
    String cp = System.getProperty("surefire.test.class.path", "");
    if (cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    List<String> jars = new ArrayList<>();
    boolean cliInJar = false;
    for (String e : cp.split(File.pathSeparator)) {
      if (e.endsWith(".jar")) {
        jars.add(e);
        cliInJar |= Path.of(e).getFileName().toString().startsWith("roster-cli-");
      }
    }
    List<String> flags =
        new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData"));
    if (!cliInJar) {
      flags.addAll(List.of("-cp", cp));
      jvm = flags;
      return flags;
    }
    String jarPath = String.join(File.pathSeparator, jars);
    try {
      Path jsa = Files.createTempFile("rosterctl-it", ".jsa");
      Files.delete(jsa);
      jsa.toFile().deleteOnExit();
      List<String> dump = new ArrayList<>();
      dump.add(java());
      dump.addAll(flags);
      dump.addAll(
          List.of(
              "-XX:ArchiveClassesAtExit=" + jsa,
              "-Xlog:disable",
              "-cp",
              jarPath,
              MAIN,
              "--no-sync",
              "--endpoints",
              "http://127.0.0.1:1",
              "get",
              "/k"));
      Process p =
          ProcessReaper.track(
              new ProcessBuilder(dump)
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        ProcessReaper.kill(p);
      }
      ProcessReaper.untrack(p);
      if (Files.exists(jsa)) {
        flags.add("-XX:SharedArchiveFile=" + jsa);
        flags.add("-Xlog:disable");
        flags.add("-Xlog:all=warning,cds*=off:stderr");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    flags.addAll(List.of("-cp", jarPath));
    jvm = flags;
    return flags;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** rosterctl pointed at one server, like {@link Etcdctl#builder}. */
  static ProcessBuilder builder(ServerProcess s, List<String> args) {
    List<String> all = new ArrayList<>();
    all.add("--endpoints");
    all.add("http://127.0.0.1:" + s.clientPort);
    all.addAll(args);
    return builder(all);
  }

  /** rosterctl with exactly {@code args} (no endpoints added). */
  static ProcessBuilder builder(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvm());
    cmd.add(MAIN);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("ETCDCTL_") || k.startsWith("ETCD_") || k.startsWith("ROSTERCTL_"));
    return pb;
  }

  /** Runs to completion (at most 20 s). */
  static Etcdctl.Result run(ServerProcess s, List<String> args) {
    return Etcdctl.run(builder(s, args), "rosterctl " + args + " against " + s);
  }

  /** Runs with exactly {@code args} to completion (at most 20 s). */
  static Etcdctl.Result run(List<String> args) {
    return Etcdctl.run(builder(args), "rosterctl " + args);
  }

  /** The endpoint URL of {@code s}. */
  static URI endpoint(ServerProcess s) {
    return URI.create("http://127.0.0.1:" + s.clientPort);
  }
}
