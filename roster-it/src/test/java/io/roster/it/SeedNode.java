package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs the seed blog post's node-etcd snippets ({@code src/test/node/register.js} and {@code
 * discover.js}) as child processes, and reads what they print. The scripts talk to node-etcd's
 * default {@code 127.0.0.1:2379} unless {@code SEED_ETCD_HOSTS} names another {@code host:port};
 * TTL and refresh interval come from {@code SEED_TTL_SECONDS} / {@code SEED_INTERVAL_MS}.
 */
final class SeedNode {
  static final String REGISTERED = "Registered with etcd as ";

  private SeedNode() {}

  static Path dir() {
    return Path.of(System.getProperty("roster.it.node.dir", "src/test/node")).toAbsolutePath();
  }

  static String binary() {
    for (String candidate : List.of("/usr/bin/node", "/usr/local/bin/node")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError(
        "node is required for the seed snippet tests but was not found in /usr/bin or"
            + " /usr/local/bin");
  }

  /** Fails unless {@code npm ci} has installed the pinned packages. */
  static void requireInstalled() {
    assertThat(dir().resolve("node_modules/node-etcd"))
        .as("npm packages missing: run `npm ci` in %s (bin/test does that)", dir())
        .isDirectory();
  }

  /**
   * Starts {@code script} with the given TTL and interval, against {@code server} ({@code null}:
   * node-etcd's default 127.0.0.1:2379).
   */
  static LineProcess start(
      String name, String script, Duration ttl, long intervalMillis, @Nullable URI server) {
    Map<String, String> env = new HashMap<>();
    env.put("SEED_TTL_SECONDS", Long.toString(ttl.toSeconds()));
    env.put("SEED_INTERVAL_MS", Long.toString(intervalMillis));
    if (server != null) {
      env.put("SEED_ETCD_HOSTS", server.getHost() + ":" + server.getPort());
    }
    return LineProcess.start("seed-" + name, dir(), env, List.of(binary(), script));
  }

  /** The instance key a register.js printed in its first "Registered" line. */
  static String registeredKey(LineProcess register) {
    String line =
        register.awaitOrFail(
            0,
            l -> l.startsWith(REGISTERED),
            Duration.ofSeconds(15),
            register.name + " never registered");
    return line.substring(REGISTERED.length()).strip();
  }

  /** The instance map in a discover.js line {@code instances ACTION {...}}. */
  static JsonNode instances(String line) {
    int brace = line.indexOf('{');
    try {
      return EtcdV2Http.JSON.readTree(line.substring(brace));
    } catch (Exception e) {
      throw new AssertionError("not an instance map: " + line, e);
    }
  }
}
