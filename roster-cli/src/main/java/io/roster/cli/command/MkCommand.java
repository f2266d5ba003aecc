package io.roster.cli.command;

import io.roster.client.KeyResponse;
import io.roster.client.RosterClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mk KEY VALUE}: creates a key that must not exist ({@code prevExist=false}); with {@code
 * --in-order}, a new in-order key under the directory KEY (POST).
 */
@Command(
    name = "mk",
    mixinStandardHelpOptions = true,
    description = "Make a new key with a given value (fails if it exists).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  rosterctl mk /config/mode fast",
      "  rosterctl mk --ttl 60 /locks/job-1 worker-7",
      "  rosterctl mk --in-order /queue job-data      # creates /queue/000000000000000000NN",
    })
public final class MkCommand extends CtlCommand {
  @Parameters(paramLabel = "<key> <value>", description = "The key and its value.")
  List<String> args = new ArrayList<>();

  @Option(names = "--in-order", description = "Create an in-order key under directory <key>.")
  boolean inOrder;

  @Option(names = "--ttl", paramLabel = "SECONDS", description = "Key time-to-live in seconds.")
  long ttl;

  @Override
  public Integer call() {
    String key = required(args.isEmpty() ? null : args.get(0));
    String value = session().argOrStdin(args, 1);
    RosterClient c = session().client();
    KeyResponse r =
        inOrder ? c.createInOrder(key, value, ttl(ttl)) : c.create(key, value, ttl(ttl));
    session().print(r);
    return 0;
  }
}
