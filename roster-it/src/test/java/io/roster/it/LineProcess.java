package io.roster.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A child process (node, etcdctl, …) whose stdout+stderr lines are collected as they come and
 * copied to a log file under the build directory. Tracked by {@link ProcessReaper}.
 */
final class LineProcess implements AutoCloseable {
  final String name;
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Path log;

  private LineProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::pump, "lines-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  static LineProcess start(String name, Path dir, Map<String, String> env, List<String> cmd) {
    try {
      Files.createDirectories(ServerProcess.logDir());
      Path log = ServerProcess.logDir().resolve(name + ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().putAll(env);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      return new LineProcess(name, ProcessReaper.track(pb.start()), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd + ": " + e.getMessage(), e);
    }
  }

  private void pump() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        Files.writeString(
            log,
            line + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      lines.add("<output stream failed: " + e + ">");
    }
  }

  /** Waits for a line (seen before or later, from index {@code from}) that matches. */
  @Nullable String await(int from, Predicate<String> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int i = from;
    while (true) {
      while (i < lines.size()) {
        String l = lines.get(i++);
        if (match.test(l)) {
          return l;
        }
      }
      if (System.nanoTime() > deadline) {
        return null;
      }
      ServerProcess.sleep(20);
    }
  }

  /** Like {@link #await} but fails with {@code what} and this process's output tail. */
  String awaitOrFail(int from, Predicate<String> match, Duration timeout, String what) {
    String line = await(from, match, timeout);
    if (line == null) {
      throw new AssertionError(what + " (waited " + timeout + "). " + tail(20));
    }
    return line;
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGTERM, like Ctrl-C: shutdown hooks run; waits up to 20 s for the process to end. Signals
   * through the process handle, which (unlike {@link Process#destroy()}) leaves the output stream
   * open, so what the process prints while stopping is still collected.
   */
  void terminate() {
    process.toHandle().destroy();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL, like a crashed instance. */
  void kill() {
    ProcessReaper.kill(process);
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String tail(int n) {
    List<String> all = lines();
    return name
        + " output (last "
        + n
        + " lines):\n  "
        + String.join("\n  ", all.subList(Math.max(0, all.size() - n), all.size()));
  }

  @Override
  public void close() {
    kill();
  }
}
