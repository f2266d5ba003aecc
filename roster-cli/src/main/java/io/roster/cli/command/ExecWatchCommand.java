package io.roster.cli.command;

import io.roster.cli.CtlFailure;
import io.roster.cli.ExitCode;
import io.roster.cli.Session;
import io.roster.client.RosterClient;
import io.roster.client.Watch;
import io.roster.client.WatchEvent;
import io.roster.client.WatchOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code exec-watch KEY -- COMMAND [ARGS...]} (or {@code exec-watch -- COMMAND [ARGS...] KEY}):
 * runs the command for every change, with {@code ETCD_WATCH_ACTION}, {@code
 * ETCD_WATCH_MODIFIED_INDEX}, {@code ETCD_WATCH_KEY} and {@code ETCD_WATCH_VALUE} in its
 * environment and rosterctl's stdout and stderr; commands are not waited for, so they may overlap.
 * Runs until Ctrl-C. Like etcdctl, {@code --after-index N} starts from N+2. (etcdctl 3.4 loses the
 * {@code --} of the {@code KEY -- COMMAND} form and watches the wrong key; rosterctl runs it as
 * documented.)
 */
@Command(
    name = "exec-watch",
    mixinStandardHelpOptions = true,
    description = "Watch a key for changes and exec an executable.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl exec-watch /config/mode -- sh -c 'echo \"$ETCD_WATCH_KEY is $ETCD_WATCH_VALUE\"'",
      "  rosterctl exec-watch --recursive /services -- ./reload-proxy.sh",
    })
public final class ExecWatchCommand extends CtlCommand implements LongRunning {
  @Parameters(paramLabel = "<key> <command> [args...]", description = "The key and the command.")
  List<String> args = new ArrayList<>();

  @Option(names = "--after-index", paramLabel = "INDEX", description = "Watch after this index.")
  long afterIndex;

  @Option(
      names = {"--recursive", "-r"},
      description = "Watch all values for the key and child keys.")
  boolean recursive;

  @Override
  public Integer call() throws InterruptedException {
    if (args.size() < 2) {
      throw CtlFailure.error(ExitCode.BAD_ARGS, "key and command to exec required");
    }
    String key;
    List<String> command;
    int sep = args.indexOf("--");
    if (sep > 0) {
      key = args.get(0);
      command = args.subList(2, args.size());
    } else {
      key = args.get(args.size() - 1);
      command = args.subList(0, args.size() - 1);
    }
    if (command.isEmpty()) {
      throw CtlFailure.error(ExitCode.BAD_ARGS, "key and command to exec required");
    }
    long index = afterIndex != 0 ? afterIndex + 1 : 0;
    Session s = session();
    RosterClient c = s.client();
    Watching.exitZeroOnInterrupt();
    WatchOptions o =
        WatchOptions.defaults().withRecursive(recursive).withFromIndex(index > 0 ? index + 1 : 0);
    try (Watch w = c.watch(key, o)) {
      while (true) {
        WatchEvent.Change e = Watching.next(w, c.endpoints());
        if (e.node().dir()) {
          s.err().print("Ignored dir " + e.node().key() + " change\n");
          s.err().flush();
          continue;
        }
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = pb.environment();
        env.put("ETCD_WATCH_ACTION", e.action().wire());
        env.put("ETCD_WATCH_MODIFIED_INDEX", Long.toString(e.node().modifiedIndex()));
        env.put("ETCD_WATCH_KEY", e.node().key());
        String v = e.node().value();
        env.put("ETCD_WATCH_VALUE", v == null ? "" : v);
        try {
          pb.start();
        } catch (IOException ex) {
          throw new CtlFailure(ExitCode.BAD_ARGS, "exec: " + ex.getMessage() + "\n");
        }
      }
    }
  }
}
