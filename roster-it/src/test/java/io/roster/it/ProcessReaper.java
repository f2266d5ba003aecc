package io.roster.it;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills every child process a test started, even when the test JVM dies or a test forgets. A JVM
 * shutdown hook sends SIGKILL to each tracked process and its descendants.
 */
final class ProcessReaper {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "roster-it-reaper"));
  }

  private ProcessReaper() {}

  static Process track(Process process) {
    LIVE.add(process);
    return process;
  }

  /** Sends SIGKILL to the process and its descendants and forgets it. */
  static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    LIVE.remove(process);
  }

  static void untrack(Process process) {
    LIVE.remove(process);
  }

  private static void killAll() {
    for (Process p : LIVE) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
