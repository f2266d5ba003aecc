package io.roster.cli.command;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updatedir KEY}: sets the TTL of an existing directory (without {@code --ttl} it becomes
 * permanent).
 */
@Command(
    name = "updatedir",
    mixinStandardHelpOptions = true,
    description = "Update an existing directory.",
    footerHeading = "%nExamples:%n",
    footer = {"  rosterctl updatedir --ttl 300 /tmp/session-42   # keep it 5 more minutes"})
public final class UpdatedirCommand extends CtlCommand {
  @Parameters(paramLabel = "<key>", description = "The directory.")
  List<String> args = new ArrayList<>();

  @Option(names = "--ttl", paramLabel = "SECONDS", description = "Key time-to-live in seconds.")
  long ttl;

  @Override
  public Integer call() {
    String key = required(args.isEmpty() ? null : args.get(0));
    printUnlessSimple(session().client().updateDir(key, ttl(ttl)));
    return 0;
  }
}
