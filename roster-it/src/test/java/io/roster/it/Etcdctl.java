package io.roster.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's etcdctl 3.4 in v2 mode ({@code ETCDCTL_API=2}) pointed at one server, plus the
 * normalisation that makes two servers' outputs comparable: member ids, URLs and ports, absolute
 * indexes (made relative to a base), in-order key names, TTLs and expiration timestamps.
 */
final class Etcdctl {
  static final Path BINARY = Path.of(System.getProperty("roster.it.etcdctl", "/usr/bin/etcdctl"));

  private static final Pattern URL = Pattern.compile("127\\.0\\.0\\.1:\\d+");
  private static final Pattern MEMBER_ID = Pattern.compile("\\b[0-9a-f]{12,16}\\b");
  private static final Pattern INDEX_LINE =
      Pattern.compile("(?m)^(Created-Index|Modified-Index|Index): (\\d+)$");
  private static final Pattern ERROR_INDEX = Pattern.compile("(?m)\\[(\\d+)]$");
  private static final Pattern JSON_INDEX =
      Pattern.compile("\"(createdIndex|modifiedIndex|index)\":(\\d+)");
  private static final Pattern COMPARE_INDEX = Pattern.compile("\\[(\\d+) != (\\d+)]");
  private static final Pattern ENV_INDEX = Pattern.compile("ETCD_WATCH_MODIFIED_INDEX=(\\d+)");
  private static final Pattern TTL_LINE = Pattern.compile("(?m)^TTL: (\\d+)$");
  private static final Pattern JSON_TTL = Pattern.compile("\"ttl\":(\\d+)");
  private static final Pattern EXPIRATION = Pattern.compile("\"expiration\":\"[^\"]*\"");

  private Etcdctl() {}

  /** Exit code and output of one run. */
  record Result(int exit, String out, String err) {
    Result normalised(long base) {
      return new Result(exit, normalise(out, base), normalise(err, base));
    }

    @Override
    public String toString() {
      return "exit "
          + exit
          + "\n  stdout: "
          + out.replace("\n", "\n          ")
          + "\n  stderr: "
          + err.replace("\n", "\n          ");
    }
  }

  static void requireInstalled() {
    if (!Files.isExecutable(BINARY)) {
      fail(
          "etcdctl is required but %s is missing: install Debian's etcd-client package (bin/test"
              + " does that)",
          BINARY);
    }
  }

  static ProcessBuilder builder(ServerProcess s, List<String> args) {
    requireInstalled();
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.add("--endpoints");
    cmd.add("http://127.0.0.1:" + s.clientPort);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_") || k.startsWith("ETCD_"));
    pb.environment().put("ETCDCTL_API", "2");
    return pb;
  }

  /** Runs to completion (at most 20 s). */
  static Result run(ServerProcess s, List<String> args) {
    return run(builder(s, args), "etcdctl " + args + " against " + s);
  }

  /**
   * Runs a command line tool to completion (at most 20 s) with stdin from /dev/null, collecting its
   * exit code, stdout and stderr; {@code what} names it in failures.
   */
  static Result run(ProcessBuilder pb, String what) {
    try {
      Path out = Files.createTempFile("etcdctl-out", ".txt");
      Path err = Files.createTempFile("etcdctl-err", ".txt");
      try {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = ProcessReaper.track(pb.start());
        try {
          if (!p.waitFor(20, TimeUnit.SECONDS)) {
            ProcessReaper.kill(p);
            fail("%s did not finish within 20 s", what);
          }
        } finally {
          ProcessReaper.untrack(p);
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String normalise(String text, long base) {
    String s = URL.matcher(text).replaceAll("127.0.0.1:<port>");
    s = MEMBER_ID.matcher(s).replaceAll("<id>");
    s = Normalized.inOrder(s, base);
    s = replaceNumber(INDEX_LINE, s, 2, base);
    s = replaceNumber(ERROR_INDEX, s, 1, base);
    s = replaceNumber(JSON_INDEX, s, 2, base);
    s = replaceNumber(ENV_INDEX, s, 1, base);
    s =
        COMPARE_INDEX
            .matcher(s)
            .replaceAll(
                m ->
                    "["
                        + Normalized.index(Long.parseLong(m.group(1)), base).asText()
                        + " != "
                        + Normalized.index(Long.parseLong(m.group(2)), base).asText()
                        + "]");
    s = TTL_LINE.matcher(s).replaceAll(m -> "TTL: " + ttl(m.group(1)));
    s = JSON_TTL.matcher(s).replaceAll(m -> "\"ttl\":" + ttl(m.group(1)));
    return EXPIRATION.matcher(s).replaceAll("\"expiration\":\"<expiration>\"");
  }

  /** TTLs compared within ±1: long ones (≥ 100 s) are bucketed, 0 stays 0. */
  private static String ttl(String v) {
    long t = Long.parseLong(v);
    return t >= 100 ? "<ttl~" + ((t + 5) / 10 * 10) + ">" : v;
  }

  private static String replaceNumber(Pattern p, String s, int group, long base) {
    Matcher m = p.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      long v = Long.parseLong(m.group(group));
      String rel = Normalized.index(v, base).asText();
      String whole = m.group();
      int start = m.start(group) - m.start();
      int end = m.end(group) - m.start();
      m.appendReplacement(
          sb, Matcher.quoteReplacement(whole.substring(0, start) + rel + whole.substring(end)));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
