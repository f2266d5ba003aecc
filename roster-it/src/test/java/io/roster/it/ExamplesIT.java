package io.roster.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The examples ({@code examples/}: the seed's scenario in Java) run as their own JVMs against a
 * real Roster process, as {@code bin/example} runs them: the discoverer prints the registered
 * instance, and when the register process is stopped (SIGTERM, like Ctrl-C) it drains and
 * deregisters, which the discoverer prints as a state change to DRAINING and then a removal.
 */
@ExtendWith(DumpLogsOnFailure.class)
class ExamplesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<LineProcess> children = new ArrayList<>();
  private @Nullable ServerProcess server;

  @AfterEach
  void stop() {
    for (LineProcess c : children) {
      c.kill();
    }
    if (server != null) {
      server.close();
    }
  }

  private LineProcess example(String name, String main, ServerProcess s) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    LineProcess p =
        LineProcess.start(
            "example-" + name,
            Path.of(".").toAbsolutePath(),
            Map.of(),
            List.of(java, "-cp", cp, main, "--endpoints", s.baseUrl().toString(), "svc", "dc1"));
    children.add(p);
    return p;
  }

  @Test
  void registerAndDiscover_addedDrainedRemoved() {
    ServerProcess s = ServerProcess.start(ServerKind.ROSTER, "examples");
    server = s;
    LineProcess register = example("register", "io.roster.examples.RegisterService", s);
    String registered =
        register.awaitOrFail(
            0, l -> l.startsWith("Registered with roster as "), WAIT, "register never registered");
    String key = registered.substring("Registered with roster as ".length()).strip();
    assertThat(key).startsWith("/services/svc/dc1/");
    String id = key.substring(key.lastIndexOf('/') + 1);

    LineProcess discover = example("discover", "io.roster.examples.DiscoverService", s);
    String initial =
        discover.awaitOrFail(
            0, l -> l.startsWith("instances initial "), WAIT, "discover printed no list");
    assertThat(initial).contains("1 registered").contains(id.substring(0, 8) + "@http://");

    int mark = discover.lines().size();
    register.terminate();
    register.awaitOrFail(
        0, l -> l.startsWith("Deregistered "), WAIT, "register never deregistered");
    discover.awaitOrFail(
        mark,
        l -> l.startsWith("changed " + id + " UP -> DRAINING"),
        WAIT,
        "discover never printed the drain");
    discover.awaitOrFail(
        mark, l -> l.startsWith("removed " + id), WAIT, "discover never printed the removal");
    assertThat(s.client().get(key).status()).isEqualTo(404);
  }
}
