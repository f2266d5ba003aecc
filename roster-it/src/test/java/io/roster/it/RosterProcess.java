package io.roster.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Roster's server main, run in a child JVM with the test JVM's own class path (failsafe passes the
 * real one in {@code surefire.test.class.path}; {@code java.class.path} may be a manifest-only
 * booter jar).
 */
final class RosterProcess extends ServerProcess {
  static final String MAIN = "io.roster.server.RosterMain";

  RosterProcess(String label, int clientPort) {
    super(ServerKind.ROSTER, label, clientPort);
  }

  /** A member of a multi-member cluster (see {@link ServerProcess}). */
  RosterProcess(String label, int clientPort, int peerPort, String name, String initialCluster) {
    super(ServerKind.ROSTER, label, clientPort, peerPort, name, initialCluster);
  }

  @Override
  List<String> command() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", "");
    if (cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=4");
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(MAIN);
    cmd.addAll(commonFlags());
    return cmd;
  }
}
