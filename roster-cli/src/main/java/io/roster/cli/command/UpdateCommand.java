package io.roster.cli.command;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code update KEY VALUE}: sets a key that must exist ({@code prevExist=true}). */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description = "Update an existing key with a given value.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl update /config/mode slow",
      "  rosterctl update --ttl 30 /locks/job-1 worker-7   # also resets its TTL",
    })
public final class UpdateCommand extends CtlCommand {
  @Parameters(paramLabel = "<key> <value>", description = "The key and its new value.")
  List<String> args = new ArrayList<>();

  @Option(names = "--ttl", paramLabel = "SECONDS", description = "Key time-to-live in seconds.")
  long ttl;

  @Override
  public Integer call() {
    String key = required(args.isEmpty() ? null : args.get(0));
    String value = session().argOrStdin(args, 1);
    session().print(session().client().update(key, value, ttl(ttl)));
    return 0;
  }
}
