package io.roster.cli.command;

import io.roster.client.Compare;
import io.roster.client.KeyResponse;
import io.roster.client.RosterClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rm KEY}: deletes a key; {@code --dir} also an empty directory, {@code --recursive} a
 * directory with everything in it; {@code --with-value}/{@code --with-index} only if it matches
 * ({@code compareAndDelete}). Prints the old value of a key (nothing for a directory in the simple
 * format).
 */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    description = "Remove a key or a directory.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl rm /config/mode",
      "  rosterctl rm --recursive /tmp",
      "  rosterctl rm --with-value worker-7 /locks/job-1   # only if it still holds that",
    })
public final class RmCommand extends CtlCommand {
  @Parameters(paramLabel = "<key>", description = "The key or directory.")
  List<String> args = new ArrayList<>();

  @Option(
      names = "--dir",
      description = "Remove the key if it is an empty directory or a key-value pair.")
  boolean dir;

  @Option(
      names = {"--recursive", "-r"},
      description = "Remove the key and all child keys (if it is a directory).")
  boolean recursive;

  @Option(names = "--with-value", paramLabel = "VALUE", description = "Previous value.")
  String withValue = "";

  @Option(names = "--with-index", paramLabel = "INDEX", description = "Previous index.")
  long withIndex;

  @Override
  public Integer call() {
    String key = required(args.isEmpty() ? null : args.get(0));
    RosterClient c = session().client();
    KeyResponse r;
    if (!withValue.isEmpty() || withIndex > 0) {
      r = c.compareAndDelete(key, new Compare(withValue.isEmpty() ? null : withValue, withIndex));
    } else if (dir || recursive) {
      r = c.deleteDir(key, recursive);
    } else {
      r = c.delete(key);
    }
    if (!r.node().dir() || !session().options().output().equals("simple")) {
      session().print(r);
    }
    return 0;
  }
}
