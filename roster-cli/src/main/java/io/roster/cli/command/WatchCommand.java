package io.roster.cli.command;

import io.roster.cli.Session;
import io.roster.client.KeyResponse;
import io.roster.client.RosterClient;
import io.roster.client.Watch;
import io.roster.client.WatchEvent;
import io.roster.client.WatchOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code watch KEY}: waits for the next change of a key (or, {@code --recursive}, of anything under
 * it, each printed after an {@code [action] key} line) and prints it; {@code --forever} keeps
 * printing until Ctrl-C. Directory events are skipped, as in etcdctl.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = "Watch a key for changes.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl watch /config/mode                    # wait for the next change",
      "  rosterctl watch --forever --recursive /services  # every change, until Ctrl-C",
      "  rosterctl watch --after-index 41 /config/mode   # from history: the first change after 41",
    })
public final class WatchCommand extends CtlCommand implements LongRunning {
  @Parameters(paramLabel = "<key>", description = "The key or directory.")
  List<String> args = new ArrayList<>();

  @Option(
      names = {"--forever", "-f"},
      description = "Watch until Ctrl-C.")
  boolean forever;

  @Option(names = "--after-index", paramLabel = "INDEX", description = "Watch after this index.")
  long afterIndex;

  @Option(
      names = {"--recursive", "-r"},
      description = "Return all values for the key and child keys.")
  boolean recursive;

  @Override
  public Integer call() throws InterruptedException {
    String key = required(args.isEmpty() ? null : args.get(0));
    Session s = session();
    RosterClient c = s.client();
    Watching.exitZeroOnInterrupt();
    WatchOptions o =
        WatchOptions.defaults()
            .withRecursive(recursive)
            .withFromIndex(afterIndex > 0 ? afterIndex + 1 : 0);
    try (Watch w = c.watch(key, o)) {
      while (true) {
        WatchEvent.Change e = Watching.next(w, c.endpoints());
        if (e.node().dir()) {
          continue;
        }
        if (recursive) {
          s.out().print("[" + e.action().wire() + "] " + e.node().key() + "\n");
        }
        s.print(new KeyResponse(e.action(), e.node(), e.prevNode(), e.etcdIndex(), 0, 0));
        if (!forever) {
          return 0;
        }
      }
    }
  }
}
