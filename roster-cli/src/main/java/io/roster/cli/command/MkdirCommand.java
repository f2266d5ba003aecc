package io.roster.cli.command;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mkdir KEY}: creates a directory where nothing exists. Prints nothing in the simple format,
 * the answer otherwise (as etcdctl 3.4).
 */
@Command(
    name = "mkdir",
    mixinStandardHelpOptions = true,
    description = "Make a new directory.",
    footerHeading = "%nExamples:%n",
    footer = {"  rosterctl mkdir /services", "  rosterctl mkdir --ttl 300 /tmp/session-42"})
public final class MkdirCommand extends CtlCommand {
  @Parameters(paramLabel = "<key>", description = "The directory.")
  List<String> args = new ArrayList<>();

  @Option(names = "--ttl", paramLabel = "SECONDS", description = "Key time-to-live in seconds.")
  long ttl;

  @Override
  public Integer call() {
    String key = required(args.isEmpty() ? null : args.get(0));
    printUnlessSimple(session().client().mkdir(key, ttl(ttl)));
    return 0;
  }
}
